package dev.atrium.mcp.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Hands a resumption that reached the wrong replica to the replica that holds the stream:
 * the client's {@code GET} goes there as it came (same path, the client's own headers, so
 * the holder authenticates the client again and no trust is added between replicas), and
 * the holder's answer is relayed as it streams. A handed-off request carries a mark, and
 * a marked request is never handed off again, so a misconfigured address cannot make a
 * loop.
 */
public final class ResumptionHandOff {

	private static final Logger logger = LoggerFactory.getLogger(ResumptionHandOff.class);

	/** The mark of a request one replica handed to another. */
	public static final String HANDED_OFF = "Atrium-Handed-Off";

	/**
	 * Headers of one connection, not of the request (RFC 9110 section 7.6.1), and the
	 * encodings: the holder's bytes are relayed as they come, so they are not compressed.
	 */
	private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
			"proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
			"content-length", "accept-encoding", HANDED_OFF.toLowerCase(Locale.ROOT));

	/** What of the holder's answer the client gets besides its status and body. */
	private static final Set<String> RELAYED_HEADERS = Set.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CACHE_CONTROL,
			HttpHeaders.WWW_AUTHENTICATE, HttpHeaders.RETRY_AFTER);

	private final WebClient webClient;

	private final Duration connectTimeout;

	private final Duration answerTimeout;

	private final Listener listener;

	/**
	 * @param httpClient the client to reach other replicas with
	 * @param connectTimeout how long connecting to the holder may take
	 * @param answerTimeout how long the holder may take to start its answer (its status
	 * and headers), connection included; the answer itself may then stream for as long as
	 * the stream lasts
	 * @param listener told how each hand-off went
	 */
	public ResumptionHandOff(HttpClient httpClient, Duration connectTimeout, Duration answerTimeout,
			Listener listener) {
		if (connectTimeout.isNegative() || connectTimeout.isZero()) {
			throw new IllegalArgumentException("connectTimeout must be > 0, was " + connectTimeout);
		}
		if (answerTimeout.isNegative() || answerTimeout.isZero()) {
			throw new IllegalArgumentException("answerTimeout must be > 0, was " + answerTimeout);
		}
		// No read timeout: it would cut a stream that is only quiet between events.
		HttpClient configured = httpClient.compress(false)
			.followRedirect(false)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()));
		this.webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(configured)).build();
		this.connectTimeout = connectTimeout;
		this.answerTimeout = answerTimeout;
		this.listener = listener;
	}

	/**
	 * Hands the client's resumption to the holder of its stream.
	 * @param request the client's {@code GET}, authenticated here already
	 * @param holder the holder's address, as sealed in the event id
	 */
	public Mono<Outcome> handOff(ServerRequest request, URI holder) {
		if (request.headers().firstHeader(HANDED_OFF) != null) {
			this.listener.handedOff(Result.LOOP_REFUSED);
			return Mono.just(new Outcome.Refused(
					"is held by another replica, and this request was handed off already (once only)"));
		}
		URI target = target(holder, request.uri());
		return this.webClient.get()
			.uri(target)
			.headers((headers) -> forwarded(request.headers().asHttpHeaders(), request.uri(), headers))
			.retrieve()
			// Every status is the holder's answer to the client, relayed as it is.
			.onStatus((status) -> true, (response) -> Mono.empty())
			.toEntityFlux(DataBuffer.class)
			.timeout(this.answerTimeout)
			.<Outcome>map((answer) -> {
				logger.debug("Resumption handed off to {}: {}", holder, answer.getStatusCode());
				this.listener.handedOff(Result.RELAYED);
				return relayed(answer);
			})
			.onErrorResume((ex) -> {
				String reason = unreachable(ex);
				logger.info("Resumption not handed off to {}: {} ({})", holder, reason, ex.toString());
				this.listener.handedOff(Result.UNREACHABLE);
				// The address stays out of the client's answer: ids keep it secret.
				return Mono.just(new Outcome.Refused("was opened on another replica, which " + reason));
			});
	}

	private static URI target(URI holder, URI requested) {
		StringBuilder target = new StringBuilder(holder.toString()).append(requested.getRawPath());
		if (requested.getRawQuery() != null) {
			target.append('?').append(requested.getRawQuery());
		}
		return URI.create(target.toString());
	}

	/**
	 * The client's headers, its {@code Host} included: the holder checks it as it would
	 * have had the client come to it.
	 */
	private static void forwarded(HttpHeaders client, URI requested, HttpHeaders forwarded) {
		client.forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
				forwarded.addAll(name, values);
			}
		});
		if (forwarded.getFirst(HttpHeaders.HOST) == null && requested.getRawAuthority() != null) {
			forwarded.set(HttpHeaders.HOST, requested.getRawAuthority());
		}
		forwarded.set(HANDED_OFF, "1");
	}

	private static Outcome relayed(ResponseEntity<Flux<DataBuffer>> answer) {
		HttpHeaders headers = new HttpHeaders();
		RELAYED_HEADERS.forEach((name) -> {
			var values = answer.getHeaders().get(name);
			if (values != null) {
				headers.addAll(name, values);
			}
		});
		Flux<DataBuffer> body = (answer.getBody() != null) ? answer.getBody() : Flux.empty();
		return new Outcome.Relayed(answer.getStatusCode(), headers, body);
	}

	private String unreachable(Throwable ex) {
		if (ex instanceof TimeoutException) {
			return "did not answer within " + this.answerTimeout;
		}
		return "could not be reached";
	}

	/** How a hand-off went, for metrics. */
	public enum Result {

		/** The holder answered, and its answer is relayed (whatever its status). */
		RELAYED,

		/**
		 * The holder could not be reached or did not answer in time: 400 to the client.
		 */
		UNREACHABLE,

		/** A request handed off already was not handed off again: 400 to the client. */
		LOOP_REFUSED

	}

	/** Told how each hand-off went. */
	@FunctionalInterface
	public interface Listener {

		Listener NONE = (result) -> {
		};

		void handedOff(Result result);

	}

	/** What the client gets. */
	public sealed interface Outcome {

		/** The holder's answer, streamed as it comes. */
		record Relayed(HttpStatusCode status, HttpHeaders headers, Flux<DataBuffer> body) implements Outcome {
		}

		/** No answer from the holder: why, in words for the client (no address). */
		record Refused(String reason) implements Outcome {
		}

	}

}
