package dev.socketdeck.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The whole application on a random port, bound to loopback, with none of the listeners that
 * application.yml declares (they would take the fixed ports 9999, 8081 and 9000) and a data
 * folder of its own. Every test class carrying this shares one cached context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "socketdeck.listeners=", "socketdeck.data-dir=target/test-data/${random.uuid}",
				"server.address=127.0.0.1" })
@interface ApiTest {

}
