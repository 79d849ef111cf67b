package dev.socketdeck;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SocketDeckApplication {

	public static void main(String[] args) {
		SpringApplication.run(SocketDeckApplication.class, args);
	}
}
