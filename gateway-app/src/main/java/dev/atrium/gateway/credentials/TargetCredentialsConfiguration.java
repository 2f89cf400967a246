package dev.atrium.gateway.credentials;

import java.time.Clock;

import dev.atrium.gateway.config.AtriumProperties;
import reactor.netty.http.client.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The targets' outbound credentials. */
@Configuration(proxyBeanMethods = false)
public class TargetCredentialsConfiguration {

	/**
	 * Environment variables are read through Spring's environment, which also lets a
	 * system property of the same name stand in for one.
	 */
	@Bean
	TargetCredentials targetCredentials(AtriumProperties properties, HttpClient targetHttpClient, Clock clock,
			Environment environment) {
		return new TargetCredentialsFactory(targetHttpClient, clock, environment::getProperty)
			.build(properties.targets());
	}

}
