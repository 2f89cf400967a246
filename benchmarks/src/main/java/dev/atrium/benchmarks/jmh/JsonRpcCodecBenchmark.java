package dev.atrium.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON-RPC decoding and encoding of the message every benchmark request carries, a
 * {@code tools/call}; and reading a target's answer to it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonRpcCodecBenchmark {

	static final byte[] CALL = ("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
			+ "\"up___echo\",\"arguments\":{\"message\":\"atrium-bench-echo-0123456789\"},"
			+ "\"_meta\":{\"progressToken\":\"p-1\"}}}")
		.getBytes(StandardCharsets.UTF_8);

	static final String ANSWER = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\","
			+ "\"text\":\"atrium-bench-echo-0123456789\"}],\"isError\":false}}";

	private JsonRpcCodec codec;

	private JsonRpcMessage message;

	@Setup
	public void setUp() {
		this.codec = new JsonRpcCodec();
		this.message = this.codec.readClientMessage(CALL);
	}

	@Benchmark
	public JsonRpcMessage readClientMessage() {
		return this.codec.readClientMessage(CALL);
	}

	@Benchmark
	public JsonRpcMessage readTargetMessage() {
		return this.codec.readTargetMessage(ANSWER);
	}

	@Benchmark
	public byte[] write() {
		return this.codec.write(this.message);
	}

}
