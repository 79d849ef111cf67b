package dev.socketdeck.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.context.annotation.Configuration;

/** Names the API in {@code /v3/api-docs} and Swagger UI. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "SocketDeck API", version = "v1",
		description = "Raw TCP and UDP listeners: create, start, stop, send, and watch their traffic."))
class OpenApiConfig {
}
