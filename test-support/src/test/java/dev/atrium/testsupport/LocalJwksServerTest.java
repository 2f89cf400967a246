package dev.atrium.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class LocalJwksServerTest {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T10:15:30Z"), ZoneOffset.UTC);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final LocalJwksServer server = LocalJwksServer.start(CLOCK);

	@AfterEach
	void stop() {
		this.server.close();
		this.client.close();
	}

	@Test
	void listensOnLoopbackOnly() {
		assertThat(this.server.origin()).isEqualTo("http://127.0.0.1:" + this.server.port());
		assertThat(this.server.port()).isPositive();
		assertThat(this.server.uri("/a/b")).hasToString(this.server.origin() + "/a/b");
	}

	@Test
	void servesJsonAndCountsPerPath() throws Exception {
		this.server.serveJson("/doc", "{\"a\":1}");
		HttpResponse<String> first = get("/doc");
		get("/doc");
		get("/doc?ignored=query");
		get("/other");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(first.body()).isEqualTo("{\"a\":1}");
		assertThat(this.server.requestCount("/doc")).isEqualTo(3);
		assertThat(this.server.requestCount("/other")).isEqualTo(1);
		assertThat(this.server.requestCount("/never")).isZero();
		assertThat(this.server.totalRequestCount()).isEqualTo(4);
	}

	@Test
	void unknownPathsAnswer404AndAreCounted() throws Exception {
		assertThat(get("/nothing").statusCode()).isEqualTo(404);
		assertThat(this.server.requestCount("/nothing")).isEqualTo(1);
	}

	@Test
	void recordsRequestsWithTheInjectedClock() throws Exception {
		this.server.serveJson("/doc", "{}");
		this.client.send(HttpRequest.newBuilder(this.server.uri("/doc?x=1")).header("X-Probe", "yes").build(),
				HttpResponse.BodyHandlers.ofString());
		RecordedRequest request = this.server.requests().get(0);
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.path()).isEqualTo("/doc");
		assertThat(request.query()).isEqualTo("x=1");
		assertThat(request.headers()).containsEntry("x-probe", List.of("yes"));
		assertThat(request.receivedAt()).isEqualTo(CLOCK.instant());
	}

	@Test
	void resetCountsForgetsEverything() throws Exception {
		this.server.serveJson("/doc", "{}");
		get("/doc");
		this.server.resetCounts();
		assertThat(this.server.requestCount("/doc")).isZero();
		assertThat(this.server.totalRequestCount()).isZero();
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void computesJsonOnEachRequest() throws Exception {
		int[] calls = { 0 };
		this.server.serveJson("/live", () -> "{\"call\":" + (++calls[0]) + "}");
		assertThat(get("/live").body()).isEqualTo("{\"call\":1}");
		assertThat(get("/live").body()).isEqualTo("{\"call\":2}");
	}

	@Test
	void servesArbitraryResponses() throws Exception {
		this.server.serve("/custom",
				() -> new ServedResponse(203, "text/plain", "hi", Map.of("Cache-Control", "max-age=300")));
		HttpResponse<String> response = get("/custom");
		assertThat(response.statusCode()).isEqualTo(203);
		assertThat(response.body()).isEqualTo("hi");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=300");
	}

	@Test
	void stopServingAnswers404() throws Exception {
		this.server.serveJson("/doc", "{}");
		this.server.stopServing("/doc");
		assertThat(get("/doc").statusCode()).isEqualTo(404);
	}

	@Test
	void servesAJwksThatRotates() throws Exception {
		SigningKey first = SigningKey.rsa("first");
		SigningKey second = SigningKey.ec256("second");
		this.server.serveJwks("/jwks", first);
		assertThat(JWKSet.parse(get("/jwks").body()).getKeys()).extracting((jwk) -> jwk.getKeyID())
			.containsExactly("first");
		this.server.addKey("/jwks", second);
		assertThat(this.server.keyIds("/jwks")).containsExactly("first", "second");
		assertThat(JWKSet.parse(get("/jwks").body()).getKeys()).extracting((jwk) -> jwk.getKeyID())
			.containsExactly("first", "second");
		assertThat(this.server.removeKey("/jwks", "first")).isTrue();
		assertThat(this.server.removeKey("/jwks", "first")).isFalse();
		JWKSet published = JWKSet.parse(get("/jwks").body());
		assertThat(published.getKeys()).extracting((jwk) -> jwk.getKeyID()).containsExactly("second");
		assertThat(published.getKeys().get(0).isPrivate()).isFalse();
		assertThat(this.server.requestCount("/jwks")).isEqualTo(3);
	}

	@Test
	void jwksPublishesPublicHalvesOnly() throws Exception {
		this.server.serveJwks("/jwks", SigningKey.rsa("r"), SigningKey.ec256("e"));
		String body = get("/jwks").body();
		assertThat(body).doesNotContain("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"");
		assertThat(JWKSet.parse(body).getKeys()).allSatisfy((jwk) -> assertThat(jwk.isPrivate()).isFalse());
	}

	@Test
	void keyOperationsNeedAJwksPath() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.server.addKey("/nope", SigningKey.ec256("x")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.server.serveJson("no-slash", "{}"));
	}

	@Test
	void failsWithAStatusUntilHealed() throws Exception {
		this.server.serveJson("/jwks", "{\"keys\":[]}");
		this.server.fail("/jwks", EndpointFailure.serverError());
		assertThat(get("/jwks").statusCode()).isEqualTo(500);
		assertThat(get("/jwks").statusCode()).isEqualTo(500);
		this.server.heal("/jwks");
		assertThat(get("/jwks").statusCode()).isEqualTo(200);
		assertThat(this.server.requestCount("/jwks")).isEqualTo(3);
	}

	@Test
	void failsANumberOfTimesThenRecovers() throws Exception {
		this.server.serveJson("/jwks", "{\"keys\":[]}");
		this.server.fail("/jwks", EndpointFailure.status(503), 2);
		assertThat(get("/jwks").statusCode()).isEqualTo(503);
		assertThat(get("/jwks").statusCode()).isEqualTo(503);
		assertThat(get("/jwks").statusCode()).isEqualTo(200);
	}

	@Test
	void garbageIsAnOkThatIsNotJson() throws Exception {
		this.server.serveJson("/jwks", "{\"keys\":[]}");
		this.server.fail("/jwks", EndpointFailure.garbage());
		HttpResponse<String> response = get("/jwks");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("<html>");
	}

	@Test
	void disconnectDropsTheConnectionWithoutAnAnswer() {
		this.server.serveJson("/jwks", "{\"keys\":[]}");
		this.server.fail("/jwks", EndpointFailure.disconnect());
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> get("/jwks"));
		assertThat(this.server.requestCount("/jwks")).isGreaterThanOrEqualTo(1);
	}

	@Test
	void hangOutlastsTheClientTimeout() throws Exception {
		this.server.serveJson("/jwks", "{\"keys\":[]}");
		this.server.fail("/jwks", EndpointFailure.hang(Duration.ofMinutes(5)));
		HttpRequest request = HttpRequest.newBuilder(this.server.uri("/jwks")).timeout(Duration.ofMillis(200)).build();
		assertThatExceptionOfType(HttpTimeoutException.class)
			.isThrownBy(() -> this.client.send(request, HttpResponse.BodyHandlers.ofString()));
		assertThat(this.server.requestCount("/jwks")).isEqualTo(1);
	}

	@Test
	void hangThenAnswers() throws Exception {
		this.server.serveJson("/jwks", "{\"keys\":[]}");
		this.server.fail("/jwks", EndpointFailure.hang(Duration.ofMillis(50)));
		assertThat(get("/jwks").body()).isEqualTo("{\"keys\":[]}");
	}

	@Test
	void closeReleasesHangingRequestsAndFreesThePort() throws Exception {
		this.server.serveJson("/jwks", "{}");
		this.server.fail("/jwks", EndpointFailure.hang(Duration.ofMinutes(5)));
		CompletableFuture<HttpResponse<String>> pending = this.client
			.sendAsync(HttpRequest.newBuilder(this.server.uri("/jwks")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(this.server.awaitRequestCount("/jwks", 1, Duration.ofSeconds(10))).isTrue();
		assertTimeoutPreemptively(Duration.ofSeconds(10), this.server::close);
		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(pending).failsWithin(Duration.ofSeconds(5)));
		URI uri = this.server.uri("/jwks");
		assertThatExceptionOfType(ConnectException.class).isThrownBy(
				() -> this.client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
	}

	@Test
	void awaitRequestCountWakesOnArrivalNotOnTimeout() {
		this.server.serveJson("/jwks", "{}");
		this.client.sendAsync(HttpRequest.newBuilder(this.server.uri("/jwks")).build(),
				HttpResponse.BodyHandlers.discarding());
		// A missed wake-up would only return after the 60 s timeout.
		assertTimeoutPreemptively(Duration.ofSeconds(10),
				() -> assertThat(this.server.awaitRequestCount("/jwks", 1, Duration.ofSeconds(60))).isTrue());
	}

	@Test
	void awaitRequestCountTimesOutWhenNothingComes() throws Exception {
		assertThat(this.server.awaitRequestCount("/quiet", 1, Duration.ofMillis(20))).isFalse();
		this.server.serveJson("/quiet", "{}");
		get("/quiet");
		assertThat(this.server.awaitRequestCount("/quiet", 1, Duration.ZERO)).isTrue();
	}

	@Test
	void failureRecordsRejectNonsense() {
		assertThatIllegalArgumentException().isThrownBy(() -> EndpointFailure.status(200));
		assertThatIllegalArgumentException().isThrownBy(() -> EndpointFailure.hang(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.server.fail("/x", EndpointFailure.serverError(), 0));
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(this.server.uri(path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
