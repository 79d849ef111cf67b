package dev.socketdeck.chat;

import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.socketdeck.behaviour.Peer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A room's rules on their own: the peer here is a recorder standing in for a connection (the
 * API tests cover the same over real sockets), so the order of what a joiner is sent can be
 * checked exactly.
 */
class RoomTest {

	/** Records what a participant is sent, as text lines. */
	static final class RecordingPeer implements Peer {

		final List<String> lines = new CopyOnWriteArrayList<>();

		@Nullable String closedWith;

		@Override
		public String id() {
			return "c1";
		}

		@Override
		public InetSocketAddress remote() {
			return new InetSocketAddress("127.0.0.1", 5555);
		}

		@Override
		public boolean datagram() {
			return false;
		}

		@Override
		public Charset charset() {
			return StandardCharsets.UTF_8;
		}

		@Override
		public void send(byte[] payload) {
			this.lines.add(new String(payload, StandardCharsets.UTF_8));
		}

		@Override
		public void sendRaw(byte[] bytes) {
			send(bytes);
		}

		@Override
		public void close(String reason) {
			this.closedWith = reason;
		}
	}

	private final List<ChatEvent> published = new ArrayList<>();

	private Room room(int maxSeats) {
		return new Room("lobby", this.published::add, maxSeats);
	}

	@Test
	void aJoinerGetsTheReplayThenTheGreetingThenWhatComesNext() {
		Room room = room(10);
		Room.Seat alice = room.join("alice", ChatEvent.Via.WEB, null, "t");
		room.say(alice, "one");
		room.say(alice, "two");
		room.say(alice, "three");
		RecordingPeer bob = new RecordingPeer();
		room.join("bob", ChatEvent.Via.TCP, bob, null, 2, members -> "Hi bob! " + members.size() + " here");
		room.say(alice, "four");
		assertThat(bob.lines).containsExactly("[alice] two", "[alice] three", "Hi bob! 2 here", "[alice] four");
	}

	@Test
	void aFullRoomRefusesTheNextJoinWithTheReason() {
		Room room = room(2);
		room.join("a", ChatEvent.Via.WEB, null, "1");
		room.join("b", ChatEvent.Via.WEB, null, "2");
		assertThatThrownBy(() -> room.join("c", ChatEvent.Via.WEB, null, "3")).isInstanceOf(ChatException.class)
			.hasMessage("lobby is full: 2 people are in it");
	}

	@Test
	void aSeatThatWasGivenUpCannotSpeakEvenWhenItsNicknameIsTakenAgain() {
		Room room = room(10);
		Room.Seat ghost = room.join("alice", ChatEvent.Via.TCP, new RecordingPeer(), null);
		room.leave(ghost, "alice left");
		room.join("alice", ChatEvent.Via.WEB, null, "new");
		assertThatThrownBy(() -> room.say(ghost, "boo")).isInstanceOf(ChatException.class)
			.hasMessage("alice is no longer in lobby");
	}

	@Test
	void closingTheRoomTellsAndClosesItsTcpClients() {
		Room room = room(10);
		RecordingPeer tcp = new RecordingPeer();
		room.join("t", ChatEvent.Via.TCP, tcp, null);
		room.closeAll("the room was deleted");
		assertThat(tcp.lines).endsWith("* the room was deleted");
		assertThat(tcp.closedWith).isEqualTo("the room was deleted");
		assertThat(room.members()).isEmpty();
	}

	@Test
	void controlCharactersAndBidiOverridesNeverReachTcp() {
		assertThat(Room.forTcp("a\u001b[2Jb\u0007c\u202ed\u0085e")).isEqualTo("a[2Jbcde");
	}
}
