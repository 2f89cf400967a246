package dev.atrium.mcp.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventIdTests {

	@Test
	void anEncodedIdParsesBackToItsStreamAndSequence() {
		EventId id = new EventId(EventId.newStream(), 42);
		assertThat(EventId.parse(id.encode())).contains(id);
	}

	@Test
	void everyNewStreamHasAnIdOfItsOwn() {
		String stream = EventId.newStream();
		assertThat(stream).hasSize(22).isNotEqualTo(EventId.newStream());
	}

	@Test
	void theStreamIsReadFromTheIdWhateverTheSequence() {
		String stream = EventId.newStream();
		assertThat(EventId.parse(stream + ".0")).hasValueSatisfying((id) -> {
			assertThat(id.stream()).isEqualTo(stream);
			assertThat(id.sequence()).isZero();
		});
		assertThat(EventId.parse(stream + ".123456789012345678")).map(EventId::sequence).contains(123456789012345678L);
	}

	@Test
	void whatAtriumCouldNotHaveMadeIsNoId() {
		String stream = EventId.newStream();
		assertThat(EventId.parse(null)).isEmpty();
		assertThat(EventId.parse("")).isEmpty();
		assertThat(EventId.parse(stream)).isEmpty();
		assertThat(EventId.parse(stream + ".")).isEmpty();
		assertThat(EventId.parse(stream + ".-1")).isEmpty();
		assertThat(EventId.parse(stream + ".01")).isEmpty();
		assertThat(EventId.parse(stream + ".1234567890123456789")).isEmpty();
		assertThat(EventId.parse("short.1")).isEmpty();
		assertThat(EventId.parse(stream.substring(1) + "!.1")).isEmpty();
		assertThat(EventId.parse(stream + ".1.2")).isEmpty();
	}

	@Test
	void aNegativeSequenceIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new EventId(EventId.newStream(), -1));
	}

}
