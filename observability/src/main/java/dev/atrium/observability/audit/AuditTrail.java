package dev.atrium.observability.audit;

import java.time.Clock;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records audit events: each gets an id, a time and its type, and becomes one line of the
 * journal. Recording never blocks and never fails a request.
 */
public final class AuditTrail {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final AuditJournal journal;

	private final Clock clock;

	private final MeterRegistry registry;

	public AuditTrail(AuditJournal journal, Clock clock, MeterRegistry registry) {
		this.journal = journal;
		this.clock = clock;
		this.registry = registry;
	}

	/** A new, empty event body. */
	public static ObjectNode body() {
		return JSON.createObjectNode();
	}

	/**
	 * Records one event.
	 * @param type the seed's {@code event_type}, e.g. {@code mcp_request}
	 * @param body the rest of the event
	 */
	public void record(String type, ObjectNode body) {
		ObjectNode event = JSON.createObjectNode();
		event.put("event_id", UUID.randomUUID().toString());
		event.put("timestamp", this.clock.instant().toString());
		event.put("event_type", type);
		event.setAll(body);
		this.journal.append(JSON.writeValueAsString(event));
		Counter.builder("atrium.audit.events")
			.description("Audit events recorded, by type")
			.tag("type", type)
			.register(this.registry)
			.increment();
	}

	public AuditJournal journal() {
		return this.journal;
	}

	@Override
	public String toString() {
		return "AuditTrail[" + this.journal + "]";
	}

}
