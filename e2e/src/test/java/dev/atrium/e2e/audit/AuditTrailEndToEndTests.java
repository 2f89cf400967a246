package dev.atrium.e2e.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.e2e.support.StsTokens;
import dev.atrium.observability.audit.AuditJournal;
import dev.atrium.testsupport.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail under load with a real Redis as its networked sink: N requests give N
 * events in the journal and in the stream, also while Redis is stalled (a slow sink) and
 * while it is gone and comes back; grants and API-key changes are recorded without their
 * tokens.
 */
class AuditTrailEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final String STREAM = "atrium:audit";

	private static final String CLIENT = "audit-e2e-client";

	private static final String ADMIN = "audit-e2e-admin";

	private static final String SECRET = "audit-e2e-client-secret-0123456789";

	static LocalRedis redis;

	static int redisPort;

	static AtriumInstance atrium;

	@BeforeAll
	static void start() {
		redis = LocalRedis.start();
		redisPort = redis.port();
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("atrium.audit.redis.uri", redis.uri());
		properties.put("atrium.audit.redis.timeout", "1s");
		properties.put("atrium.audit.arguments", "full");
		properties.put("atrium.sts.key-secret", "audit-e2e-sts-key-secret-0123456789-abcdef");
		properties.put("atrium.sts.clients." + CLIENT + ".secret", SECRET);
		properties.put("atrium.sts.clients." + CLIENT + ".grant-types", "client-credentials");
		properties.put("atrium.sts.clients." + CLIENT + ".scopes", "mcp:read,mcp:write");
		properties.put("atrium.sts.clients." + ADMIN + ".secret", SECRET);
		properties.put("atrium.sts.clients." + ADMIN + ".grant-types", "client-credentials");
		properties.put("atrium.sts.clients." + ADMIN + ".scopes", "gateway:admin");
		properties.put("atrium.api-keys.admin-issuers", "atrium-sts");
		properties.put("atrium.scenarios.consumer.anonymous", "false");
		properties.put("atrium.scenarios.consumer.issuers", "atrium-sts");
		atrium = AtriumInstance.start(properties);
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void everyRequestIsOneEventInTheJournalAndInRedisThroughAStallAndAnOutage() throws Exception {
		String session = Mcp.initialize(atrium.mcpUrl("/internal")).sessionId();
		int perPhase = 150;
		Set<String> requestIds = new HashSet<>();
		requestIds.addAll(load(session, perPhase, "steady"));
		// A slow sink: Redis answers nothing for two seconds.
		Thread stall = Thread.ofPlatform().start(AuditTrailEndToEndTests::stallRedis);
		requestIds.addAll(load(session, perPhase, "stalled"));
		stall.join();
		// The sink is gone, then back (empty: what it missed is sent again from the
		// journal).
		long beforeOutage = stream().size();
		redis.close();
		requestIds.addAll(load(session, perPhase, "outage"));
		redis = LocalRedis.start(redisPort);
		requestIds.addAll(load(session, perPhase, "recovered"));
		assertThat(requestIds).hasSize(4 * perPhase);

		assertThat(atrium.bean(AuditJournal.class).flush(30, TimeUnit.SECONDS)).isTrue();
		List<JsonNode> journal = journal();
		Set<String> audited = new HashSet<>();
		journal.stream()
			.filter((event) -> event.path("event_type").asString().equals("mcp_request"))
			.filter((event) -> requestIds.contains(event.path("request_id").asString()))
			.forEach((event) -> assertThat(audited.add(event.path("request_id").asString())).as("one event per request")
				.isTrue());
		assertThat(audited).isEqualTo(requestIds);

		// Everything from the outage on reaches the new Redis, nothing twice.
		await(() -> streamRequestIds().containsAll(idsOf(requestIds, "outage", "recovered")));
		List<String> shipped = streamRequestIds();
		assertThat(new HashSet<>(shipped)).hasSize(shipped.size());
		assertThat(beforeOutage).isGreaterThanOrEqualTo(2L * perPhase);
	}

	@Test
	void grantsAndApiKeyChangesAreRecordedWithoutTheirTokens() throws Exception {
		String token = token(CLIENT);
		String admin = token(ADMIN);
		HttpResponse<String> issued = HTTP.send(HttpRequest.newBuilder(URI.create(atrium.baseUrl() + "/admin/api-keys"))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + admin)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"claude_apps\",\"scopes\":[\"mcp:read\"]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(issued.statusCode()).isEqualTo(201);
		String apiKey = JSON.readTree(issued.body()).path("api_key").asString();
		String keyId = JSON.readTree(issued.body()).path("jti").asString();
		Mcp.Response call = Mcp.initialize(atrium.mcpUrl("/consumer"), Map.of("Authorization", "Bearer " + token));
		assertThat(call.status()).isEqualTo(200);
		Mcp.post(atrium.mcpUrl("/consumer"), call.sessionId(), """
				{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"demo___echo",
				 "arguments":{"message":"hello","password":"hunter2"}}}""", Map.of("Authorization", "Bearer " + token));

		assertThat(atrium.bean(AuditJournal.class).flush(30, TimeUnit.SECONDS)).isTrue();
		List<JsonNode> journal = journal();
		assertThat(journal).anySatisfy((event) -> {
			assertThat(event.path("event_type").asString()).isEqualTo("token_grant");
			assertThat(event.path("client_id").asString()).isEqualTo(CLIENT);
			assertThat(event.path("outcome").asString()).isEqualTo("issued");
		});
		assertThat(journal).anySatisfy((event) -> {
			assertThat(event.path("event_type").asString()).isEqualTo("api_key_issue");
			assertThat(event.path("issued_key_id").asString()).isEqualTo(keyId);
		});
		assertThat(journal).anySatisfy((event) -> {
			assertThat(event.path("mcp_context").path("name").asString()).isEqualTo("demo___echo");
			assertThat(event.path("caller").path("client_id").asString()).isEqualTo(CLIENT);
			assertThat(event.path("mcp_context").path("arguments").path("message").asString()).isEqualTo("hello");
			assertThat(event.path("mcp_context").path("arguments").path("password").asString()).isEqualTo("[REDACTED]");
		});
		String everything = String.join("\n", journal.stream().map(JsonNode::toString).toList());
		assertThat(everything).doesNotContain(token, admin, apiKey, "hunter2", SECRET);
	}

	private static List<String> load(String session, int requests, String phase) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				String id = phase + "-" + i + "-request";
				answers.add(pool.submit(() -> {
					Mcp.Response response = Mcp.post(atrium.mcpUrl("/internal"), session,
							"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"demo___echo\",\"arguments\":{\"message\":\"x\"}}}",
							Map.of("X-Request-Id", id));
					assertThat(response.status()).isEqualTo(200);
					return id;
				}));
			}
			List<String> ids = new ArrayList<>();
			for (Future<String> answer : answers) {
				ids.add(answer.get(60, TimeUnit.SECONDS));
			}
			return ids;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static Set<String> idsOf(Set<String> ids, String... phases) {
		Set<String> selected = new HashSet<>();
		for (String id : ids) {
			for (String phase : phases) {
				if (id.startsWith(phase + "-")) {
					selected.add(id);
				}
			}
		}
		return selected;
	}

	private static void stallRedis() {
		RedisClient client = RedisClient.create(redis.uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.setTimeout(Duration.ofSeconds(10));
			// DEBUG SLEEP blocks the whole server: every client waits.
			connection.sync()
				.dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
						new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(2));
		}
		finally {
			client.shutdown();
		}
	}

	private static List<JsonNode> stream() {
		RedisClient client = RedisClient.create(redis.uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<JsonNode> events = new ArrayList<>();
			for (StreamMessage<String, String> message : connection.sync()
				.xread(XReadArgs.Builder.count(1_000_000), XReadArgs.StreamOffset.from(STREAM, "0"))) {
				events.add(JSON.readTree(message.getBody().get("event")));
			}
			return events;
		}
		finally {
			client.shutdown();
		}
	}

	private static List<String> streamRequestIds() {
		return stream().stream()
			.filter((event) -> event.path("event_type").asString().equals("mcp_request"))
			.map((event) -> event.path("request_id").asString())
			.toList();
	}

	private static List<JsonNode> journal() {
		List<JsonNode> events = new ArrayList<>();
		try (Stream<Path> files = Files.list(atrium.auditDirectory())) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".jsonl")).sorted().toList()) {
				for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
					events.add(JSON.readTree(line));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return events;
	}

	private static String token(String client) {
		return StsTokens.clientCredentials(atrium, client, SECRET);
	}

	private static void await(BooleanSupplier condition) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(condition::getAsBoolean);
	}

}
