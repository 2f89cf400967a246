package dev.atrium.mcp.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.atrium.mcp.transport.McpExchangeObserver.Exchange;
import dev.atrium.mcp.transport.McpExchangeObserver.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observers compose, and an exchange names a tool only when its catalog bounds the name.
 */
class McpExchangeObserverTests {

	@Test
	void composedObserversAreToldInOrder() {
		List<String> told = new ArrayList<>();
		McpExchangeObserver first = (exchange) -> told.add("metrics " + exchange.method());
		McpExchangeObserver second = (exchange) -> told.add("log " + exchange.method());

		first.andThen(second).completed(exchange("tools/list", null, null));

		assertThat(told).containsExactly("metrics tools/list", "log tools/list");
	}

	@Test
	void onlyToolsAndPromptsThatReachedATargetAreNamed() {
		assertThat(exchange("tools/call", "demo", "demo___add").routedName()).isEqualTo("demo___add");
		assertThat(exchange("prompts/get", "demo", "demo___greeting").routedName()).isEqualTo("demo___greeting");
		assertThat(exchange("tools/call", null, "made-up-by-the-client").routedName()).isNull();
		assertThat(exchange("resources/read", "files", "file:///home/alice/notes.txt").routedName()).isNull();
		assertThat(exchange(null, null, null).routedName()).isNull();
	}

	private static Exchange exchange(String method, String target, String name) {
		return new Exchange("internal", method, target, name, Outcome.OK, 200, Duration.ofMillis(3), null, null);
	}

}
