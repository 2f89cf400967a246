package dev.atrium.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.atrium.mcp.federation.NameMapper;
import dev.atrium.mcp.federation.NameMapper.TargetNames;
import dev.atrium.mcp.federation.NameTable;
import dev.atrium.mcp.federation.NamingMode;
import dev.atrium.mcp.federation.QualifiedName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Name mapping: {@code map} builds the exposed names of a scenario when a catalog
 * changes, {@code resolve} finds the target of every {@code tools/call}. Targets of 100
 * tools each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NameMapperBenchmark {

	@Param({ "1", "100" })
	public int targets;

	private NameMapper mapper;

	private List<TargetNames> names;

	private NameTable table;

	private String exposed;

	@Setup
	public void setUp() {
		this.mapper = new NameMapper(NamingMode.ALWAYS, 64);
		this.names = names(this.targets);
		this.table = this.mapper.map(this.names);
		this.exposed = "t%03d".formatted(this.targets - 1) + NameMapper.SEPARATOR + "tool_042";
	}

	@Benchmark
	public NameTable map() {
		return this.mapper.map(this.names);
	}

	@Benchmark
	public Optional<QualifiedName> resolve() {
		return this.table.resolve(this.exposed);
	}

	static List<TargetNames> names(int targets) {
		List<TargetNames> names = new ArrayList<>();
		for (int t = 0; t < targets; t++) {
			List<String> tools = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				tools.add("tool_%03d".formatted(i));
			}
			names.add(new TargetNames("t%03d".formatted(t), "t%03d".formatted(t), tools));
		}
		return names;
	}

}
