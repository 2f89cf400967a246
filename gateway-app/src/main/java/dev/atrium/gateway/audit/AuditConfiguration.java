package dev.atrium.gateway.audit;

import java.time.Clock;
import java.time.Duration;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.mcp.transport.McpExchangeObserver;
import dev.atrium.observability.audit.ArgumentRedaction;
import dev.atrium.observability.audit.AuditJournal;
import dev.atrium.observability.audit.AuditTrail;
import dev.atrium.observability.audit.JournalSettings;
import dev.atrium.observability.audit.JournalShipper;
import dev.atrium.observability.audit.RedisStreamSink;
import dev.atrium.sts.exchange.GrantObserver;
import dev.atrium.sts.web.ApiKeyAdminEndpoints;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit trail (docs/observability.md): the journal in {@code atrium.audit.directory},
 * the shipper to Redis when {@code atrium.audit.redis.uri} is set, and the observers that
 * turn MCP requests, token grants and API-key changes into events.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "atrium.audit.enabled", matchIfMissing = true)
public class AuditConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(AuditConfiguration.class);

	@Bean(destroyMethod = "close")
	AuditJournal auditJournal(AtriumProperties properties, MeterRegistry registry) {
		AtriumProperties.Audit audit = properties.audit();
		AuditJournal journal = new AuditJournal(new JournalSettings(audit.directory().toAbsolutePath(), audit.fsync(),
				audit.fsyncInterval(), audit.maxSegmentSize().toBytes(), audit.maxSegments()));
		Gauge.builder("atrium.audit.pending", journal, AuditJournal::pending)
			.description("Audit events recorded and not yet written to the journal")
			.register(registry);
		logger.info("Audit trail in {} (fsync {})", journal.directory(), audit.fsync());
		return journal;
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty("atrium.audit.redis.uri")
	JournalShipper auditShipper(AtriumProperties properties, AuditJournal journal, MeterRegistry registry) {
		AtriumProperties.AuditRedis redis = properties.audit().redis();
		JournalShipper shipper = new JournalShipper(journal,
				new RedisStreamSink(redis.uri().toString(), redis.stream(), redis.maxLength(), redis.timeout()), 500,
				Duration.ofSeconds(5));
		Gauge.builder("atrium.audit.shipper.failing", shipper, (value) -> value.failing() ? 1 : 0)
			.description("1 while the audit trail's Redis sink does not accept events (they wait in the journal)")
			.register(registry);
		return shipper;
	}

	@Bean
	AuditTrail auditTrail(AuditJournal journal, Clock clock, MeterRegistry registry,
			ObjectProvider<JournalShipper> shipper) {
		// Asked for so that the shipper starts with the trail.
		shipper.ifAvailable((started) -> logger.info("Audit events shipped by {}", started));
		return new AuditTrail(journal, clock, registry);
	}

	@Bean
	McpExchangeObserver mcpRequestAudit(AuditTrail trail, AtriumProperties properties) {
		return new McpRequestAudit(trail,
				new ArgumentRedaction(properties.audit().arguments(), properties.audit().sensitiveFields()));
	}

	@Bean
	GrantObserver stsGrantAudit(AuditTrail trail) {
		return new StsGrantAudit(trail);
	}

	@Bean
	ApiKeyAdminEndpoints.ChangeObserver apiKeyAudit(AuditTrail trail) {
		return new ApiKeyAudit(trail);
	}

}
