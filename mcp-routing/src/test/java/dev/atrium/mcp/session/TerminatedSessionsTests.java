package dev.atrium.mcp.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminatedSessionsTests {

	@Test
	void anEndedSessionIsRememberedUntilItWouldHaveExpired() {
		MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
		TerminatedSessions terminated = new TerminatedSessions(10, Duration.ofHours(1), clock);
		terminated.terminate("abc");
		assertThat(terminated.isTerminated("abc")).isTrue();
		assertThat(terminated.isTerminated("abd")).isFalse();
		clock.advance(Duration.ofHours(1).plusSeconds(1));
		assertThat(terminated.isTerminated("abc")).isFalse();
	}

	@Test
	void theOldestAreForgottenPastCapacity() {
		TerminatedSessions terminated = new TerminatedSessions(2, Duration.ofHours(1), Clock.systemUTC());
		terminated.terminate("a");
		terminated.terminate("b");
		terminated.terminate("c");
		assertThat(terminated.isTerminated("a")).isFalse();
		assertThat(terminated.isTerminated("c")).isTrue();
	}

}
