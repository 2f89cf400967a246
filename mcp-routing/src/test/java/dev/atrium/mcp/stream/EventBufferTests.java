package dev.atrium.mcp.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventBufferTests {

	private final String stream = EventId.newStream();

	private final EventBuffer buffer = new EventBuffer(3);

	@Test
	void eventsAreNumberedFromOneInTheirStream() {
		assertThat(this.buffer.append(this.stream, "a").id()).isEqualTo(new EventId(this.stream, 1));
		assertThat(this.buffer.append(this.stream, "b").id()).isEqualTo(new EventId(this.stream, 2));
		assertThat(this.buffer.last()).isEqualTo(2);
	}

	@Test
	void onlyTheEventsAfterTheGivenOneAreReplayed() {
		this.buffer.append(this.stream, "a");
		this.buffer.append(this.stream, "b");
		this.buffer.append(this.stream, "c");
		assertThat(this.buffer.after(1))
			.hasValueSatisfying((events) -> assertThat(events).extracting(StreamEvent::data).containsExactly("b", "c"));
		assertThat(this.buffer.after(3)).hasValueSatisfying((events) -> assertThat(events).isEmpty());
		assertThat(this.buffer.after(0)).hasValueSatisfying(
				(events) -> assertThat(events).extracting(StreamEvent::data).containsExactly("a", "b", "c"));
	}

	@Test
	void anEmptyStreamResumesFromItsPrimingEvent() {
		assertThat(this.buffer.after(0)).hasValueSatisfying((events) -> assertThat(events).isEmpty());
	}

	@Test
	void theOldestEventsAreDroppedBeyondTheCapacity() {
		for (String data : new String[] { "a", "b", "c", "d", "e" }) {
			this.buffer.append(this.stream, data);
		}
		assertThat(this.buffer.after(2)).hasValueSatisfying(
				(events) -> assertThat(events).extracting(StreamEvent::data).containsExactly("c", "d", "e"));
	}

	@Test
	void aResumptionThatWouldMissDroppedEventsIsRefused() {
		for (String data : new String[] { "a", "b", "c", "d", "e" }) {
			this.buffer.append(this.stream, data);
		}
		assertThat(this.buffer.after(1)).isEmpty();
		assertThat(this.buffer.after(0)).isEmpty();
	}

	@Test
	void anEventTheStreamHasNotSentIsRefused() {
		this.buffer.append(this.stream, "a");
		assertThat(this.buffer.after(2)).isEmpty();
	}

	@Test
	void theCapacityMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new EventBuffer(0))
			.withMessage("capacity must be > 0, was 0");
	}

}
