package dev.atrium.mcp.federation;

import java.util.concurrent.atomic.AtomicInteger;

import dev.atrium.mcp.client.UpstreamSession;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class LazyUpstreamSessionsTests {

	private final AtomicInteger opened = new AtomicInteger();

	private Mono<UpstreamSession> opener() {
		return Mono.fromSupplier(() -> new UpstreamSession("s" + this.opened.incrementAndGet(), "2025-11-25"));
	}

	@Test
	void concurrentCallersShareOneSession() {
		LazyUpstreamSessions sessions = new LazyUpstreamSessions(10);

		UpstreamSession first = sessions.get("client", "crm", this::opener).block();
		UpstreamSession second = sessions.get("client", "crm", this::opener).block();

		assertThat(second).isSameAs(first);
		assertThat(this.opened).hasValue(1);
		assertThat(sessions.find("client", "crm").block()).isSameAs(first);
		assertThat(sessions.find("client", "billing")).isNull();
	}

	@Test
	void callersThatFindTheSameSessionForgottenShareOneRenewal() {
		LazyUpstreamSessions sessions = new LazyUpstreamSessions(10);
		UpstreamSession forgotten = new UpstreamSession("sealed", "2025-11-25");

		UpstreamSession renewed = sessions.renew("client", "crm", forgotten, this::opener).block();
		UpstreamSession again = sessions.renew("client", "crm", forgotten, this::opener).block();

		assertThat(again).isSameAs(renewed);
		assertThat(sessions.find("client", "crm").block()).isSameAs(renewed);
		// The renewed session is forgotten in its turn: another renewal.
		UpstreamSession third = sessions.renew("client", "crm", renewed, this::opener).block();
		assertThat(third.sessionId()).isEqualTo("s2");
	}

	@Test
	void aSessionThatFailedToOpenIsTriedAgain() {
		LazyUpstreamSessions sessions = new LazyUpstreamSessions(10);

		Mono<UpstreamSession> failed = sessions.get("client", "crm", () -> Mono.error(new IllegalStateException()));
		assertThat(failed.onErrorResume((ex) -> Mono.empty()).block()).isNull();

		assertThat(sessions.find("client", "crm")).isNull();
		assertThat(sessions.get("client", "crm", this::opener).block().sessionId()).isEqualTo("s1");
	}

	@Test
	void theLeastRecentlyUsedClientSessionsGoFirst() {
		LazyUpstreamSessions sessions = new LazyUpstreamSessions(2);
		sessions.get("a", "crm", this::opener).block();
		sessions.get("b", "crm", this::opener).block();
		sessions.get("a", "billing", this::opener).block();
		sessions.get("c", "crm", this::opener).block();

		assertThat(sessions.of("a")).containsOnlyKeys("crm", "billing");
		assertThat(sessions.of("b")).isEmpty();
		assertThat(sessions.remove("a")).hasSize(2);
		assertThat(sessions.of("a")).isEmpty();
	}

}
