package dev.atrium.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.atrium.mcp.client.UpstreamSession;
import dev.atrium.mcp.session.ClientSession;
import dev.atrium.mcp.session.SessionCodec;
import dev.atrium.mcp.session.SessionKeyRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sealed session id: {@code open} runs on every request of a session, {@code seal} on
 * every {@code initialize}. Its size and cost grow with the targets of the scenario.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SessionCodecBenchmark {

	@Param({ "1", "100" })
	public int targets;

	private SessionCodec codec;

	private ClientSession session;

	private String sealed;

	@Setup
	public void setUp() {
		this.codec = codec();
		this.session = session(this.targets);
		this.sealed = this.codec.seal(this.session);
	}

	@Benchmark
	public String seal() {
		return this.codec.seal(this.session);
	}

	@Benchmark
	public Optional<ClientSession> open() {
		return this.codec.open(this.sealed, "bench");
	}

	static SessionCodec codec() {
		SessionKeyRing keys = SessionKeyRing.derive(List.of(new SessionKeyRing.Secret("bench",
				"bench-only-secret-never-used-elsewhere-0123456789".getBytes(StandardCharsets.UTF_8))));
		return new SessionCodec(keys, Duration.ofHours(24), Clock.systemUTC(), JsonMapper.builder().build());
	}

	static ClientSession session(int targets) {
		Map<String, UpstreamSession> upstreams = new LinkedHashMap<>();
		for (int i = 0; i < targets; i++) {
			// Half the targets stateful, with an id the size SDK servers give.
			upstreams.put("target-%03d".formatted(i),
					new UpstreamSession((i % 2 == 0) ? "3f2b8c1e-5d4a-4e9b-a7c6-0d1e2f3a4b5c" : null, "2025-11-25"));
		}
		return new ClientSession("bench", Instant.now(), "2025-11-25", "bench-client", upstreams);
	}

}
