package dev.atrium.policy.http;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring's filter chain names a checkpoint after each filter's {@code toString()} on
 * every request: the description says what the filter does, and is made once, not per
 * request.
 */
class WebFilterDescriptionTests {

	@Test
	void theDnsRebindingProtectionNamesItsHostsAndOriginsOnce() {
		WebFilter filter = new DnsRebindingProtectionWebFilter(List.of("localhost"), List.of("http://localhost:*"),
				(path) -> true);

		assertThat(filter.toString())
			.isEqualTo("DnsRebindingProtection[hosts=[localhost], origins=[http://localhost:*]]")
			.isSameAs(filter.toString());
	}

	@Test
	void theBodyLimitNamesItsSizeOnce() {
		WebFilter filter = new RequestBodyLimitWebFilter(1024, (path) -> true);

		assertThat(filter.toString()).isEqualTo("RequestBodyLimit[maxBytes=1024]").isSameAs(filter.toString());
	}

	@Test
	void theBodyDeadlineNamesItsTimeoutOnce() {
		WebFilter filter = new RequestBodyTimeoutWebFilter(Duration.ofSeconds(10), (path) -> true,
				Schedulers.parallel());

		assertThat(filter.toString()).isEqualTo("RequestBodyTimeout[timeout=PT10S]").isSameAs(filter.toString());
	}

}
