package dev.atrium.mcp.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StreamSlotsTests {

	private final StreamSlots slots = new StreamSlots(2);

	@Test
	void aClientGetsSlotsUpToTheCapAndNoMore() {
		assertThat(this.slots.tryAcquire("alice")).isPresent();
		assertThat(this.slots.tryAcquire("alice")).isPresent();
		assertThat(this.slots.tryAcquire("alice")).isEmpty();
		assertThat(this.slots.open("alice")).isEqualTo(2);
	}

	@Test
	void clientsAreCappedEachOnTheirOwn() {
		this.slots.tryAcquire("alice");
		this.slots.tryAcquire("alice");
		assertThat(this.slots.tryAcquire("bob")).isPresent();
		assertThat(this.slots.total()).isEqualTo(3);
	}

	@Test
	void aReleasedSlotCanBeTakenAgain() {
		StreamSlots.Slot first = this.slots.tryAcquire("alice").orElseThrow();
		this.slots.tryAcquire("alice");
		first.release();
		assertThat(this.slots.open("alice")).isEqualTo(1);
		assertThat(this.slots.tryAcquire("alice")).isPresent();
	}

	@Test
	void releasingTwiceFreesOneSlot() {
		StreamSlots.Slot first = this.slots.tryAcquire("alice").orElseThrow();
		this.slots.tryAcquire("alice");
		first.release();
		first.release();
		assertThat(this.slots.open("alice")).isEqualTo(1);
	}

	@Test
	void aClientWithoutStreamsLeavesNoEntry() {
		this.slots.tryAcquire("alice").orElseThrow().release();
		assertThat(this.slots.open("alice")).isZero();
		assertThat(this.slots).hasToString("StreamSlots[maxPerClient=2, open=0]");
	}

	@Test
	void concurrentClaimsNeverPassTheCapAndAllReturn() throws Exception {
		StreamSlots wide = new StreamSlots(50);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		AtomicInteger granted = new AtomicInteger();
		List<Future<Optional<StreamSlots.Slot>>> claims = new ArrayList<>();
		try {
			for (int i = 0; i < 400; i++) {
				claims.add(pool.submit(() -> {
					start.await();
					Optional<StreamSlots.Slot> slot = wide.tryAcquire("alice");
					slot.ifPresent((held) -> granted.incrementAndGet());
					return slot;
				}));
			}
			start.countDown();
			List<StreamSlots.Slot> held = new ArrayList<>();
			for (Future<Optional<StreamSlots.Slot>> claim : claims) {
				claim.get().ifPresent(held::add);
			}
			assertThat(granted.get()).isEqualTo(50);
			assertThat(wide.open("alice")).isEqualTo(50);
			held.forEach((slot) -> pool.submit(slot::release));
		}
		finally {
			pool.shutdown();
			pool.awaitTermination(5, TimeUnit.SECONDS);
		}
		assertThat(wide.total()).isZero();
	}

	@Test
	void aClientIsItsCallerIdOrElseItsAddress() {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50123);
		assertThat(StreamSlots.client("https://idp|alice", address)).isEqualTo("caller https://idp|alice");
		assertThat(StreamSlots.client(null, address)).isEqualTo("address 127.0.0.1");
		assertThat(StreamSlots.client(null, InetSocketAddress.createUnresolved("proxy.local", 80)))
			.isEqualTo("address proxy.local");
		assertThat(StreamSlots.client(null, null)).isEqualTo("address unknown");
	}

	@Test
	void aRefusalNamesTheCap() {
		assertThat(this.slots.refusal().message())
			.isEqualTo("Too Many Requests: this client has 2 SSE streams open, the most allowed; retry when one ends");
		assertThat(StreamSlots.RETRY_AFTER).hasSeconds(5);
	}

	@Test
	void aCapBelowOneIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new StreamSlots(0))
			.withMessage("max streams per client must be > 0, was 0");
	}

}
