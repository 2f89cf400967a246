package dev.atrium.mcp.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalTerminatedSessionsTests {

	@Test
	void anEndedSessionIsRememberedUntilItWouldHaveExpired() {
		MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
		LocalTerminatedSessions terminated = new LocalTerminatedSessions(10, Duration.ofHours(1), clock);
		terminated.record("abc");
		assertThat(terminated.endedHere("abc")).isTrue();
		assertThat(terminated.endedHere("abd")).isFalse();
		clock.advance(Duration.ofHours(1).plusSeconds(1));
		assertThat(terminated.endedHere("abc")).isFalse();
	}

	@Test
	void theOldestAreForgottenPastCapacity() {
		LocalTerminatedSessions terminated = new LocalTerminatedSessions(2, Duration.ofHours(1), Clock.systemUTC());
		terminated.record("a");
		terminated.record("b");
		terminated.record("c");
		assertThat(terminated.endedHere("a")).isFalse();
		assertThat(terminated.endedHere("c")).isTrue();
	}

}
