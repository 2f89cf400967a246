package dev.atrium.gateway.config;

import java.util.List;

import dev.atrium.mcp.transport.McpExchangeObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every observer of each exchange; one that fails does not keep the others from
 * hearing of it, nor the request from ending.
 */
final class McpExchangeObservers implements McpExchangeObserver {

	private static final Logger logger = LoggerFactory.getLogger(McpExchangeObservers.class);

	private final List<McpExchangeObserver> observers;

	McpExchangeObservers(List<McpExchangeObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	@Override
	public void completed(Exchange exchange) {
		for (McpExchangeObserver observer : this.observers) {
			try {
				observer.completed(exchange);
			}
			catch (RuntimeException ex) {
				logger.error("{} failed on an exchange of scenario '{}': {}", observer, exchange.scenario(),
						ex.toString());
			}
		}
	}

	@Override
	public String toString() {
		return "McpExchangeObservers" + this.observers;
	}

}
