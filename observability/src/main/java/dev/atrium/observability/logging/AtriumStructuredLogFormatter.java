package dev.atrium.observability.logging;

import java.nio.charset.Charset;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import org.slf4j.event.KeyValuePair;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.StackTracePrinter;
import org.springframework.boot.logging.structured.ContextPairs;
import org.springframework.boot.logging.structured.JsonWriterStructuredLogFormatter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;
import org.springframework.core.env.Environment;

/**
 * Atrium's JSON log lines, in the seed architecture's shape: one object per line with
 * {@code timestamp}, {@code level}, {@code component}, {@code event} and the event's
 * {@code details}, then the message, logger, thread, the log context ({@code request_id},
 * {@code correlation_id}, {@code client_id}) and any error. An event is a log call with
 * the key-value pair {@code event}; its other key-value pairs are its details. Lines that
 * are no event have the event {@value #LOG_EVENT}. Every line passes through
 * {@link LogRedaction} before it is written.
 * <p>
 * Selected with {@code logging.structured.format.console} (or {@code .file}) set to this
 * class's name; the {@code logging.structured.json.*} properties apply to it as to Spring
 * Boot's own formats.
 */
public final class AtriumStructuredLogFormatter extends JsonWriterStructuredLogFormatter<ILoggingEvent> {

	/** The key-value pair naming an event. */
	public static final String EVENT = "event";

	/** The event of a line that is not one. */
	public static final String LOG_EVENT = "log";

	public AtriumStructuredLogFormatter(Environment environment, StackTracePrinter stackTracePrinter,
			ContextPairs contextPairs, ThrowableProxyConverter throwableProxyConverter,
			StructuredLoggingJsonMembersCustomizer<?> customizer) {
		super((members) -> members(environment.getProperty("spring.application.name", "atrium"), stackTracePrinter,
				contextPairs, throwableProxyConverter, members), customizer);
	}

	private static void members(String component, StackTracePrinter stackTracePrinter, ContextPairs contextPairs,
			ThrowableProxyConverter throwableProxyConverter, JsonWriter.Members<ILoggingEvent> members) {
		members.add("timestamp", ILoggingEvent::getInstant).as(AtriumStructuredLogFormatter::timestamp);
		members.add("level", ILoggingEvent::getLevel);
		members.add("component", component);
		members.add(EVENT, AtriumStructuredLogFormatter::event);
		members.add("details", AtriumStructuredLogFormatter::details).whenNotEmpty();
		members.add("message", ILoggingEvent::getFormattedMessage).whenHasLength();
		members.add("logger", ILoggingEvent::getLoggerName);
		members.add("thread", ILoggingEvent::getThreadName);
		members.add()
			.usingPairs(contextPairs.flat("_", (pairs) -> pairs.addMapEntries(ILoggingEvent::getMDCPropertyMap)));
		members.add("error", ILoggingEvent::getThrowableProxy).whenNotNull().usingMembers((error) -> {
			error.add("type", IThrowableProxy::getClassName);
			error.add("message", IThrowableProxy::getMessage).whenHasLength();
		});
		members.add("stack_trace", (event) -> event)
			.whenNotNull(ILoggingEvent::getThrowableProxy)
			.as((event) -> stackTrace(event, stackTracePrinter, throwableProxyConverter));
	}

	@Override
	public String format(ILoggingEvent event) {
		return LogRedaction.redact(super.format(event));
	}

	@Override
	public byte[] formatAsBytes(ILoggingEvent event, Charset charset) {
		return format(event).getBytes(charset);
	}

	/**
	 * ISO-8601 in UTC to the millisecond, as in the seed:
	 * {@code 2025-01-02T10:30:00.123Z}.
	 */
	private static String timestamp(Instant instant) {
		return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
	}

	private static String event(ILoggingEvent event) {
		List<KeyValuePair> pairs = event.getKeyValuePairs();
		if (pairs != null) {
			for (KeyValuePair pair : pairs) {
				if (EVENT.equals(pair.key) && pair.value != null) {
					return pair.value.toString();
				}
			}
		}
		return LOG_EVENT;
	}

	private static Map<String, Object> details(ILoggingEvent event) {
		List<KeyValuePair> pairs = event.getKeyValuePairs();
		Map<String, Object> details = new LinkedHashMap<>();
		if (pairs != null) {
			for (KeyValuePair pair : pairs) {
				if (!EVENT.equals(pair.key)) {
					details.put(pair.key, pair.value);
				}
			}
		}
		return details;
	}

	private static String stackTrace(ILoggingEvent event, StackTracePrinter printer,
			ThrowableProxyConverter converter) {
		if (printer != null && event.getThrowableProxy() instanceof ThrowableProxy proxy) {
			return printer.printStackTraceToString(proxy.getThrowable());
		}
		return converter.convert(event);
	}

}
