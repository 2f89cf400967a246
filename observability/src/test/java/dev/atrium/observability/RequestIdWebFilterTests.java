package dev.atrium.observability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.atrium.observability.logging.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Request and correlation ids: taken from the caller when plausible, echoed, and in the
 * MDC of whichever thread handles the request.
 */
class RequestIdWebFilterTests {

	private final RequestIdWebFilter filter = new RequestIdWebFilter();

	@BeforeEach
	void propagateContexts() {
		// What spring.reactor.context-propagation=auto does in the application.
		Hooks.enableAutomaticContextPropagation();
	}

	@AfterEach
	void stopPropagating() {
		Hooks.disableAutomaticContextPropagation();
		MDC.clear();
	}

	@Test
	void plausibleIdsOfTheCallerAreKeptAndEchoed() {
		MockServerWebExchange exchange = exchange("req-0123456789", "order-4711:checkout");

		this.filter.filter(exchange, (served) -> Mono.empty()).block();

		assertThat(exchange.<String>getAttribute(RequestIdWebFilter.ATTRIBUTE)).isEqualTo("req-0123456789");
		assertThat(exchange.<String>getAttribute(RequestIdWebFilter.CORRELATION_ATTRIBUTE))
			.isEqualTo("order-4711:checkout");
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-Id")).isEqualTo("req-0123456789");
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Correlation-Id")).isEqualTo("order-4711:checkout");
	}

	@Test
	void withoutACorrelationIdTheRequestIdCorrelates() {
		MockServerWebExchange exchange = exchange(null, null);

		this.filter.filter(exchange, (served) -> Mono.empty()).block();

		String id = exchange.getResponse().getHeaders().getFirst("X-Request-Id");
		assertThat(id).hasSize(36);
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Correlation-Id")).isEqualTo(id);
	}

	@Test
	void implausibleIdsAreReplaced() {
		MockServerWebExchange exchange = exchange("short", "has spaces and\nnew lines in it");

		this.filter.filter(exchange, (served) -> Mono.empty()).block();

		String id = exchange.getResponse().getHeaders().getFirst("X-Request-Id");
		assertThat(id).isNotEqualTo("short").hasSize(36);
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Correlation-Id")).isEqualTo(id);
	}

	@Test
	void theIdsAreInTheMdcOfEveryThreadThatHandlesTheRequestAndNowhereElse() {
		AtomicReference<Map<String, String>> onAnotherThread = new AtomicReference<>();
		AtomicReference<String> thread = new AtomicReference<>();
		WebFilterChain chain = (served) -> Mono.delay(Duration.ofMillis(5)).doOnNext((tick) -> {
			thread.set(Thread.currentThread().getName());
			onAnotherThread.set(MDC.getCopyOfContextMap());
		}).then();

		this.filter.filter(exchange("req-0123456789", "corr-0123456789"), chain).block();

		assertThat(thread.get()).isNotEqualTo(Thread.currentThread().getName());
		assertThat(onAnotherThread.get()).containsEntry(LogContext.REQUEST_ID, "req-0123456789")
			.containsEntry(LogContext.CORRELATION_ID, "corr-0123456789");
		assertThat(MDC.get(LogContext.REQUEST_ID)).isNull();
	}

	@Test
	void entriesAddedLaterKeepTheIds() {
		AtomicReference<Map<String, String>> seen = new AtomicReference<>();
		WebFilterChain chain = (served) -> Mono.delay(Duration.ofMillis(5))
			.doOnNext((tick) -> seen.set(MDC.getCopyOfContextMap()))
			.then()
			.contextWrite(LogContext.with(LogContext.CLIENT_ID, "ai-agent-001"));

		this.filter.filter(exchange("req-0123456789", null), chain).block();

		assertThat(seen.get()).containsEntry(LogContext.REQUEST_ID, "req-0123456789")
			.containsEntry(LogContext.CORRELATION_ID, "req-0123456789")
			.containsEntry(LogContext.CLIENT_ID, "ai-agent-001");
	}

	@Test
	void itRunsFirstAndSaysWhichHeadersItReads() {
		assertThat(this.filter.getOrder()).isEqualTo(Integer.MIN_VALUE);
		assertThat(this.filter).hasToString("RequestId[header=X-Request-Id, correlation=X-Correlation-Id]");
	}

	@Test
	void onlyTheLogContextKeysAreAccepted() {
		assertThatIllegalArgumentException().isThrownBy(() -> LogContext.with("authorization", "Bearer x"))
			.withMessageContaining("authorization");
	}

	private static MockServerWebExchange exchange(String requestId, String correlationId) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/internal/mcp");
		if (requestId != null) {
			request.header("X-Request-Id", requestId);
		}
		if (correlationId != null) {
			request.header("X-Correlation-Id", correlationId);
		}
		return MockServerWebExchange.from(request);
	}

}
