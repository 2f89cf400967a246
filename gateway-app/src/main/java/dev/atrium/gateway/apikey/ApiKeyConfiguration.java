package dev.atrium.gateway.apikey;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.sts.StsConfiguration;
import dev.atrium.sts.apikey.ApiKeys;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.revocation.RevocationList;
import dev.atrium.sts.web.ApiKeyAdminEndpoints;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * JWT API keys: their own key ring (derived from the STS secret for another purpose, so
 * that a key lives for months while access-token keys retire within minutes), the shared
 * deny-list, and the administration endpoint that the security configuration guards.
 */
@Configuration(proxyBeanMethods = false)
public class ApiKeyConfiguration {

	@Bean
	StsKeyRing apiKeyRing(AtriumProperties properties, Clock clock) {
		AtriumProperties.ApiKeys apiKeys = properties.apiKeys();
		return new StsKeyRing(StsConfiguration.keySecret(properties.sts()), StsKeyRing.API_KEYS, apiKeys.keyRotation(),
				apiKeys.maxLifetime().plus(Duration.ofMinutes(1)), clock);
	}

	@Bean
	ApiKeys apiKeys(AtriumProperties properties, StsKeyRing apiKeyRing, RevocationList revocations, Clock clock) {
		AtriumProperties.ApiKeys apiKeys = properties.apiKeys();
		return new ApiKeys(apiKeys.issuer().toString(), apiKeys.defaultLifetime(), apiKeys.maxLifetime(),
				Set.copyOf(apiKeys.rateTiers()), apiKeyRing, revocations, clock);
	}

	@Bean
	RouterFunction<ServerResponse> apiKeyAdminRoutes(AtriumProperties properties, ApiKeys apiKeys,
			ObjectProvider<ApiKeyAdminEndpoints.ChangeObserver> observer) {
		if (!properties.apiKeys().enabled()) {
			return RouterFunctions.route().build();
		}
		return new ApiKeyAdminEndpoints(apiKeys,
				observer.getIfAvailable(() -> ApiKeyAdminEndpoints.ChangeObserver.NONE))
			.routes();
	}

}
