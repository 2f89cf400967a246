package dev.atrium.mcp.session;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.mcp.client.UpstreamSession;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SessionCodecTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private static final SessionKeyRing.Secret OLD = secret("k1", "an old secret that is long enough to use!!");

	private static final SessionKeyRing.Secret NEW = secret("k2", "a new secret that is also long enough to use");

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void aSealedSessionOpensOnAnyReplicaWithTheSameRing() {
		ClientSession session = session("internal");
		String id = codec(List.of(NEW), NOW).seal(session);
		assertThat(id).matches("[A-Za-z0-9_-]+");
		assertThat(codec(List.of(NEW), NOW).open(id, "internal")).contains(session);
	}

	@Test
	void statelessUpstreamsKeepTheirMissingSessionId() {
		Map<String, UpstreamSession> upstreams = Map.of("runtime", new UpstreamSession(null, "2025-06-18"));
		ClientSession session = new ClientSession("internal", NOW, "2025-06-18", null, upstreams);
		SessionCodec codec = codec(List.of(NEW), NOW);
		assertThat(codec.open(codec.seal(session), "internal").orElseThrow().upstreams().get("runtime").stateless())
			.isTrue();
	}

	@Test
	void theCapabilitiesAServerMayAskThroughAreKeptAndNoOthers() {
		ObjectNode declared = this.mapper.createObjectNode();
		declared.putObject("elicitation").putObject("form");
		declared.putObject("sampling");
		declared.putObject("experimental").put("large", "x".repeat(100));
		ClientSession session = new ClientSession("internal", NOW, "2025-11-25", null, Map.of(), declared);
		SessionCodec codec = codec(List.of(NEW), NOW);

		ClientSession opened = codec.open(codec.seal(session), "internal").orElseThrow();

		assertThat(opened.capabilities().propertyNames()).containsExactlyInAnyOrder("elicitation", "sampling");
		assertThat(opened.capabilities().path("elicitation").has("form")).isTrue();
		assertThat(opened).isEqualTo(session);
	}

	@Test
	void anUpstreamSessionKeepsTheRegionItWasOpenedIn() {
		Map<String, UpstreamSession> upstreams = new LinkedHashMap<>();
		upstreams.put("crm", new UpstreamSession("abc", "2025-11-25", "eu-west-1"));
		upstreams.put("weather", new UpstreamSession("def", "2025-11-25"));
		ClientSession session = new ClientSession("internal", NOW, "2025-11-25", null, upstreams);
		SessionCodec codec = codec(List.of(NEW), NOW);
		Map<String, UpstreamSession> opened = codec.open(codec.seal(session), "internal").orElseThrow().upstreams();
		assertThat(opened.get("crm").region()).isEqualTo("eu-west-1");
		assertThat(opened.get("weather").region()).isNull();
		assertThat(opened).isEqualTo(upstreams);
	}

	@Test
	void aSessionFromAnotherScenarioIsRefused() {
		String id = codec(List.of(NEW), NOW).seal(session("internal"));
		assertThat(codec(List.of(NEW), NOW).open(id, "consumer")).isEmpty();
	}

	@Test
	void aTamperedSessionIsRefused() {
		String id = codec(List.of(NEW), NOW).seal(session("internal"));
		byte[] bytes = Base64.getUrlDecoder().decode(id);
		bytes[bytes.length - 1] ^= 1;
		String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		assertThat(codec(List.of(NEW), NOW).open(tampered, "internal")).isEmpty();
		assertThat(codec(List.of(NEW), NOW).open("not-base64!", "internal")).isEmpty();
		assertThat(codec(List.of(NEW), NOW).open("", "internal")).isEmpty();
	}

	@Test
	void keysRotateWithoutEndingOpenSessions() {
		String sealedWithOld = codec(List.of(OLD), NOW).seal(session("internal"));
		SessionCodec rotated = codec(List.of(NEW, OLD), NOW);
		assertThat(rotated.open(sealedWithOld, "internal")).isPresent();
		String sealedAfterRotation = rotated.seal(session("internal"));
		assertThat(codec(List.of(OLD), NOW).open(sealedAfterRotation, "internal")).isEmpty();
		assertThat(codec(List.of(NEW), NOW).open(sealedAfterRotation, "internal")).isPresent();
	}

	@Test
	void aSessionPastItsLifetimeIsRefused() {
		String id = codec(List.of(NEW), NOW).seal(session("internal"));
		assertThat(codec(List.of(NEW), NOW.plus(Duration.ofHours(24))).open(id, "internal")).isPresent();
		assertThat(codec(List.of(NEW), NOW.plus(Duration.ofHours(24)).plusSeconds(1)).open(id, "internal")).isEmpty();
	}

	@Test
	void weakKeysAreRejectedWithTheirName() {
		assertThatIllegalArgumentException().isThrownBy(() -> secret("short", "too short"))
			.withMessage("session key 'short' must have at least 32 bytes, had 9");
		assertThatIllegalArgumentException().isThrownBy(() -> secret("bad id!", "x".repeat(40)))
			.withMessageContaining("bad id!");
		assertThatIllegalArgumentException().isThrownBy(() -> SessionKeyRing.derive(List.of(NEW, NEW)))
			.withMessageContaining("used twice");
	}

	private SessionCodec codec(List<SessionKeyRing.Secret> secrets, Instant now) {
		return new SessionCodec(SessionKeyRing.derive(secrets), Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC),
				this.mapper);
	}

	private static ClientSession session(String scenario) {
		Map<String, UpstreamSession> upstreams = new LinkedHashMap<>();
		upstreams.put("everything", new UpstreamSession("0f6c1c2e-8a2b-4f9e-9d7e-3c1f0e2d4b5a", "2025-11-25"));
		upstreams.put("java", new UpstreamSession("A1B2", "2025-06-18"));
		return new ClientSession(scenario, NOW, "2025-11-25", "https://issuer.example|user-1", upstreams);
	}

	private static SessionKeyRing.Secret secret(String id, String value) {
		return new SessionKeyRing.Secret(id, value.getBytes(StandardCharsets.UTF_8));
	}

}
