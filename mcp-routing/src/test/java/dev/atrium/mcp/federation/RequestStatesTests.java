package dev.atrium.mcp.federation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.session.SealedBox;
import dev.atrium.mcp.session.SessionKeyRing;
import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class RequestStatesTests {

	private static final SealedBox BOX = new SealedBox(SessionKeyRing.derive(List
		.of(new SessionKeyRing.Secret("k1", "a-secret-of-at-least-32-bytes-0123".getBytes(StandardCharsets.UTF_8)))));

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

	private final RequestStates states = new RequestStates(BOX, "internal", "replica-a", this.clock);

	@Test
	void aStateOpensForItsCallerAndRequestUntilItExpires() {
		String state = this.states.seal("held-1", "alice", call("t___ask", null), expiresIn(Duration.ofMinutes(1)));

		assertThat(state).startsWith(RequestStates.PREFIX);
		assertThat(RequestStates.carriesOne(call("t___ask", state))).isTrue();
		assertThat(this.states.open(call("t___ask", state), "alice"))
			.isEqualTo(new RequestStates.Opened.Held("held-1"));
	}

	@Test
	void anExpiredStateIsRefusedAsExpired() {
		String state = this.states.seal("held-1", "alice", call("t___ask", null), expiresIn(Duration.ofMinutes(1)));
		this.clock.advance(Duration.ofMinutes(1));

		assertThat(reason(this.states.open(call("t___ask", state), "alice"))).isEqualTo("expired");
	}

	@Test
	void anotherCallersStateIsRefusedAsForeign() {
		String state = this.states.seal("held-1", "alice", call("t___ask", null), expiresIn(Duration.ofMinutes(1)));

		assertThat(reason(this.states.open(call("t___ask", state), "mallory"))).isEqualTo("foreign");
		assertThat(reason(this.states.open(call("t___ask", state), null))).isEqualTo("foreign");
	}

	@Test
	void aStatePresentedWithAnotherToolIsRefused() {
		String state = this.states.seal("held-1", "alice", call("t___ask", null), expiresIn(Duration.ofMinutes(1)));

		assertThat(reason(this.states.open(call("t___delete", state), "alice"))).isEqualTo("other-request");
	}

	@Test
	void aStateOfAnotherReplicaIsRefusedAsSuch() {
		RequestStates other = new RequestStates(BOX, "internal", "replica-b", this.clock);
		String state = other.seal("held-1", "alice", call("t___ask", null), expiresIn(Duration.ofMinutes(1)));

		assertThat(reason(this.states.open(call("t___ask", state), "alice"))).isEqualTo("other-replica");
	}

	@Test
	void anAlteredStateOrOneOfAnotherScenarioIsRefusedAsForged() {
		String state = this.states.seal("held-1", "alice", call("t___ask", null), expiresIn(Duration.ofMinutes(1)));
		char last = state.charAt(state.length() - 1);
		String altered = state.substring(0, state.length() - 1) + ((last == 'A') ? 'B' : 'A');
		RequestStates consumer = new RequestStates(BOX, "consumer", "replica-a", this.clock);

		assertThat(reason(this.states.open(call("t___ask", altered), "alice"))).isEqualTo("forged");
		assertThat(reason(consumer.open(call("t___ask", state), "alice"))).isEqualTo("forged");
		assertThat(reason(this.states.open(call("t___ask", RequestStates.PREFIX + "not-base64!"), "alice")))
			.isEqualTo("forged");
	}

	@Test
	void aTargetsOwnStateIsNotAtriums() {
		assertThat(RequestStates.carriesOne(call("t___ask", "asked-1"))).isFalse();
		assertThat(RequestStates.carriesOne(call("t___ask", null))).isFalse();
	}

	private Instant expiresIn(Duration duration) {
		return this.clock.instant().plus(duration);
	}

	private static String reason(RequestStates.Opened opened) {
		return ((RequestStates.Opened.Refused) opened).reason();
	}

	private static JsonRpcMessage call(String name, String state) {
		ObjectNode params = JsonRpcCodec.object();
		params.put("name", name);
		if (state != null) {
			params.put("requestState", state);
		}
		return JsonRpcCodec.request("1", "tools/call", params);
	}

}
