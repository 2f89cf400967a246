package dev.atrium.observability.tracing;

import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Names an MCP request's server span after what it asked, as the MCP semantic conventions
 * do ({@code tools/call weather___forecast}); other requests keep Spring's names. The
 * name is read when the span ends, once the message is known.
 */
public final class McpServerSpanNames extends DefaultServerRequestObservationConvention {

	@Override
	public String getContextualName(ServerRequestObservationContext context) {
		Object name = context.getAttributes().get(McpSpanAttributes.SPAN_NAME_ATTRIBUTE);
		return (name instanceof String text) ? text : super.getContextualName(context);
	}

}
