package dev.atrium.mcp.stream;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.atrium.mcp.session.SessionKeyRing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StreamIdsTests {

	private static final SessionKeyRing RING = ring("k1", "the secret every replica of this deployment shares");

	private static final URI A = URI.create("http://10.0.3.17:8080");

	private static final URI B = URI.create("http://10.0.4.2:8080");

	@Test
	void anotherReplicaReadsTheHolderOfAStreamFromItsId() {
		String stream = StreamIds.sealing(A, RING).newStream();
		assertThat(StreamIds.sealing(B, RING).holder(stream)).isEqualTo(new StreamIds.Holder.Replica(A));
		assertThat(StreamIds.sealing(A, RING).holder(stream)).isEqualTo(new StreamIds.Holder.This());
	}

	@Test
	void theAddressCannotBeReadFromTheId() {
		String stream = StreamIds.sealing(A, RING).newStream();
		String decoded = new String(Base64.getUrlDecoder().decode(stream), StandardCharsets.ISO_8859_1);
		assertThat(decoded).doesNotContain("10.0.3.17").doesNotContain("8080");
		assertThat(stream).isNotEqualTo(StreamIds.sealing(A, RING).newStream());
	}

	@Test
	void aSealedStreamIdStaysShortAndIsAnEventId() {
		String stream = StreamIds.sealing(A, RING).newStream();
		// 16 random bytes, the 21-byte address, a 16-byte tag.
		assertThat(stream).hasSize(71);
		assertThat(EventId.parse(stream + ".12")).map(EventId::stream).contains(stream);
	}

	@Test
	void aTamperedIdNamesNoReplica() {
		String stream = StreamIds.sealing(A, RING).newStream();
		for (int i = 0; i < stream.length(); i += 7) {
			char flipped = (stream.charAt(i) == 'A') ? 'B' : 'A';
			String tampered = stream.substring(0, i) + flipped + stream.substring(i + 1);
			assertThat(StreamIds.sealing(B, RING).holder(tampered)).as("changed at %d", i)
				.isEqualTo(new StreamIds.Holder.Unknown());
		}
	}

	@Test
	void anAddressSealedWithAnotherKeyNamesNoReplica() {
		String forged = StreamIds
			.sealing(URI.create("http://169.254.169.254"), ring("k1", "a secret of somebody else, long enough to pass"))
			.newStream();
		assertThat(StreamIds.sealing(B, RING).holder(forged)).isEqualTo(new StreamIds.Holder.Unknown());
	}

	@Test
	void aStreamOfAnotherStreamsAddressNamesNoReplica() {
		String first = StreamIds.sealing(A, RING).newStream();
		String second = StreamIds.sealing(A, RING).newStream();
		String grafted = first.substring(0, 21) + second.substring(21);
		assertThat(StreamIds.sealing(B, RING).holder(grafted)).isEqualTo(new StreamIds.Holder.Unknown());
	}

	@Test
	void aSessionKeyDoesNotOpenAStreamId() {
		SessionKeyRing sessionOnly = ring("k1", "the secret every replica of this deployment shares");
		assertThat(sessionOnly.active().getEncoded())
			.isNotEqualTo(sessionOnly.derivedFor(StreamIds.PURPOSE).active().getEncoded());
	}

	@Test
	void theHolderIsFoundWhileTheRingRotates() {
		SessionKeyRing rotated = SessionKeyRing
			.derive(List.of(new SessionKeyRing.Secret("k2", "a new secret, first in the ring from now on".getBytes()),
					new SessionKeyRing.Secret("k1", "the secret every replica of this deployment shares".getBytes())));
		String beforeRotation = StreamIds.sealing(A, RING).newStream();
		assertThat(StreamIds.sealing(B, rotated).holder(beforeRotation)).isEqualTo(new StreamIds.Holder.Replica(A));
	}

	@Test
	void idsWithoutAnAddressNameNoHolder() {
		String stream = StreamIds.unsealed().newStream();
		assertThat(stream).hasSize(22);
		assertThat(StreamIds.sealing(B, RING).holder(stream)).isEqualTo(new StreamIds.Holder.Unnamed());
		assertThat(StreamIds.unsealed().holder(StreamIds.sealing(A, RING).newStream()))
			.isEqualTo(new StreamIds.Holder.Unnamed());
	}

	@Test
	void anAddressWithAPathOrOfAnotherSchemeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamIds.sealing(URI.create("http://a:1/x"), RING));
		assertThatIllegalArgumentException().isThrownBy(() -> StreamIds.sealing(URI.create("ftp://a:1"), RING));
		assertThatIllegalArgumentException().isThrownBy(() -> StreamIds.sealing(URI.create("/relative"), RING));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamIds.sealing(URI.create("http://" + "a".repeat(200) + ":1"), RING));
		assertThat(StreamIds.sealing(URI.create("http://a:1/"), RING).holder(StreamIds.sealing(A, RING).newStream()))
			.isEqualTo(new StreamIds.Holder.Replica(A));
	}

	private static SessionKeyRing ring(String id, String secret) {
		return SessionKeyRing.derive(List.of(new SessionKeyRing.Secret(id, secret.getBytes(StandardCharsets.UTF_8))));
	}

}
