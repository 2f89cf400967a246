package dev.atrium.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Atrium: one door between AI agents and their MCP servers.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AtriumApplication {

	public static void main(String[] args) {
		SpringApplication.run(AtriumApplication.class, args);
	}

}
