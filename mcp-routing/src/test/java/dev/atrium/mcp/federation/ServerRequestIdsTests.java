package dev.atrium.mcp.federation;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;

class ServerRequestIdsTests {

	@Test
	void anIdSaysWhichTargetAndRegionAskedAndWithWhichIdOfItsOwn() {
		String id = ServerRequestIds.encode("crm", "eu-west-1", IntNode.valueOf(7));
		assertThat(id).startsWith("srv.").matches("srv\\.[A-Za-z0-9_-]+");
		assertThat(ServerRequestIds.decode(StringNode.valueOf(id)))
			.contains(new ServerRequestIds.Origin("crm", "eu-west-1", IntNode.valueOf(7)));
		String text = ServerRequestIds.encode("weather", null, StringNode.valueOf("req-1"));
		assertThat(ServerRequestIds.decode(StringNode.valueOf(text)))
			.contains(new ServerRequestIds.Origin("weather", null, StringNode.valueOf("req-1")));
	}

	@Test
	void twoTargetsWithTheSameIdGetDifferentIds() {
		assertThat(ServerRequestIds.encode("a", null, IntNode.valueOf(0)))
			.isNotEqualTo(ServerRequestIds.encode("b", null, IntNode.valueOf(0)));
	}

	@Test
	void idsAtriumDidNotGiveFindNoTarget() {
		assertThat(ServerRequestIds.decode(IntNode.valueOf(3))).isEmpty();
		assertThat(ServerRequestIds.decode(StringNode.valueOf("client-1"))).isEmpty();
		assertThat(ServerRequestIds.decode(StringNode.valueOf("srv.%%%"))).isEmpty();
		// Base64 of text that is not JSON, and of JSON of the wrong shape.
		assertThat(ServerRequestIds.decode(StringNode.valueOf("srv.bm90LWpzb24"))).isEmpty();
		assertThat(ServerRequestIds.decode(StringNode.valueOf("srv.WzEsMiwzXQ"))).isEmpty();
		assertThat(ServerRequestIds.decode(null)).isEmpty();
	}

}
