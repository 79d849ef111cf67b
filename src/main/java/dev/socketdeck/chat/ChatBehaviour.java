package dev.socketdeck.chat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.socketdeck.behaviour.Behaviour;
import dev.socketdeck.behaviour.BehaviourFactory;
import dev.socketdeck.behaviour.Peer;
import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The {@code chat} behaviour: a TCP client picks a nickname (one line), then each line it sends
 * is a message to the room named after the listener, read by TCP clients and web users alike.
 * {@code /who} lists who is in; {@code byebye} or {@code /quit} leaves and closes.
 */
@Component
class ChatBehaviour implements BehaviourFactory {

	/** Recent events a TCP client is shown when it has joined. */
	static final int REPLAY = 10;

	private final ChatRooms rooms;

	ChatBehaviour(ChatRooms rooms) {
		this.rooms = rooms;
	}

	@Override
	public String name() {
		return "chat";
	}

	@Override
	public String description() {
		return "a chat room named after the listener, shared with the /chat/{room} page: nickname first, "
				+ "then every line goes to everyone; /who, byebye";
	}

	@Override
	public boolean supportsTcp() {
		return true;
	}

	@Override
	public boolean supportsUdp() {
		return false;
	}

	@Override
	public FramingSpec defaultFraming() {
		return FramingSpec.of(Framing.LINE);
	}

	@Override
	public Map<String, String> defaultOptions() {
		return Map.of();
	}

	@Override
	public Behaviour create(Map<String, String> options) {
		throw new IllegalStateException("a chat room is named after its listener");
	}

	@Override
	public Behaviour create(String listener, Map<String, String> options) {
		checkKnown(options);
		Room room = this.rooms.newRoom(listener);
		ChatRooms rooms = this.rooms;
		return new Behaviour() {
			@Override
			public Handler open(Peer peer) {
				return new Participant(room, peer);
			}

			@Override
			public void registered() {
				rooms.install(room);
			}

			@Override
			public void retired() {
				rooms.uninstall(room);
			}
		};
	}

	/** One TCP client: asked for a nickname, then in the room until it leaves or is dropped. */
	static final class Participant implements Behaviour.Handler {

		private final Room room;

		private final Peer peer;

		private Room.@Nullable Seat seat;

		Participant(Room room, Peer peer) {
			this.room = room;
			this.peer = peer;
			peer.send("Welcome to " + room.name() + "! What is your nickname?");
		}

		@Override
		public void onFrame(byte[] frame) {
			String line = new String(frame, this.peer.charset()).strip();
			if (line.equals("byebye") || line.equals("/quit")) {
				this.peer.send("Bye!");
				Room.Seat s = this.seat;
				this.seat = null;
				if (s != null) {
					this.room.leave(s, s.nick + " left");
				}
				this.peer.close("the client said " + line);
				return;
			}
			if (line.isEmpty()) {
				return;
			}
			Room.Seat s = this.seat;
			if (s == null) {
				join(line);
			}
			else if (line.equals("/who")) {
				this.peer.send("* in " + this.room.name() + ": " + who(this.room.members()));
			}
			else if (line.startsWith("/")) {
				this.peer.send("* unknown command " + Room.forTcp(line.split("\\s", 2)[0])
						+ " (try /who, or byebye to leave)");
			}
			else {
				try {
					this.room.say(s, line);
				}
				catch (ChatException ex) {
					this.peer.send("* not sent: " + ex.getMessage());
				}
			}
		}

		private void join(String nick) {
			try {
				this.seat = this.room.join(nick, ChatEvent.Via.TCP, this.peer, null, REPLAY, members -> "Hi " + nick
						+ "! In " + this.room.name() + ": " + who(members) + ". Type to talk; /who lists who is here; byebye leaves.");
				this.peer.label(nick);
			}
			catch (ChatException ex) {
				this.peer.send(ex.getMessage() + ". Another nickname?");
			}
		}

		private static String who(List<ChatEvent.Member> members) {
			return members.stream().map(m -> m.nick() + " (" + m.via().label() + ")").collect(Collectors.joining(", "));
		}

		@Override
		public void onClose(String reason) {
			Room.Seat s = this.seat;
			this.seat = null;
			if (s != null) {
				this.room.leave(s, reason.contains("not reading") ? s.nick + " was dropped: " + reason : s.nick + " left");
			}
		}
	}
}
