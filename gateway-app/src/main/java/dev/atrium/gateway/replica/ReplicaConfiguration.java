package dev.atrium.gateway.replica;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.mcp.session.SessionKeyRing;
import dev.atrium.mcp.stream.StreamIds;
import dev.atrium.mcp.transport.ResumptionHandOff;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How replicas of one deployment find the one that holds a stream: stream ids that carry
 * this replica's sealed address when {@code atrium.replica.advertised-url} is set, and
 * the hand-off of a resumption to the replica an id names.
 */
@Configuration(proxyBeanMethods = false)
public class ReplicaConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaConfiguration.class);

	@Bean
	StreamIds streamIds(AtriumProperties properties, SessionKeyRing sessionKeyRing) {
		AtriumProperties.Replica replica = properties.replica();
		if (replica.advertisedUrl() == null) {
			return StreamIds.unsealed();
		}
		if (properties.session().keys().isEmpty()) {
			logger.warn("atrium.replica.advertised-url is set without atrium.session.keys: no other replica can "
					+ "read this one's address from an event id, so no resumption will be handed to it");
		}
		logger.info("Streams are resumed on any replica: this one is reached at {}", replica.advertisedUrl());
		return StreamIds.sealing(replica.advertisedUrl(), sessionKeyRing);
	}

	/**
	 * On the connection pool of the targets' client: a hand-off is one more long-lived
	 * stream, to another replica.
	 */
	@Bean
	ResumptionHandOff resumptionHandOff(AtriumProperties properties, HttpClient targetHttpClient,
			ObjectProvider<MeterRegistry> meters) {
		MeterRegistry registry = meters.getIfAvailable();
		return new ResumptionHandOff(targetHttpClient, properties.replica().connectTimeout(),
				properties.replica().answerTimeout(),
				(registry != null) ? new HandOffMetrics(registry) : ResumptionHandOff.Listener.NONE);
	}

}
