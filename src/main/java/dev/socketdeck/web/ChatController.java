package dev.socketdeck.web;

import java.net.URI;
import java.util.List;

import dev.socketdeck.chat.ChatEvent;
import dev.socketdeck.chat.ChatRooms;
import dev.socketdeck.chat.Room;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Chat rooms over REST, so curl can chat too: the rooms and who is in them, a room's history by
 * sequence number, posting a message, and joining or leaving as a web user.
 */
@RestController
@RequestMapping("/api/rooms")
class ChatController {

	private final ChatRooms rooms;

	ChatController(ChatRooms rooms) {
		this.rooms = rooms;
	}

	@GetMapping
	List<RoomView> list() {
		return this.rooms.list().stream().map(RoomView::of).toList();
	}

	@GetMapping("/{room}")
	RoomView get(@PathVariable String room) {
		return RoomView.of(this.rooms.room(room));
	}

	/** Events after {@code after}, oldest first; ask again with {@code after=next}. */
	@GetMapping("/{room}/messages")
	MessagePage messages(@PathVariable String room, @RequestParam(defaultValue = "0") @Min(0) long after,
			@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
		Room r = this.rooms.room(room);
		List<ChatEvent> events = r.history(after, limit);
		long next = events.isEmpty() ? Math.min(after, r.lastSeq()) : events.getLast().seq();
		return new MessagePage(room, events, next);
	}

	/** Says something: as someone present (with their {@code member} token), or as a passer-by. */
	@PostMapping("/{room}/messages")
	ResponseEntity<ChatEvent> post(@PathVariable String room, @RequestBody ChatPost body) {
		ChatEvent e = this.rooms.post(room, body.nick(), body.text(), body.member());
		return ResponseEntity.created(URI.create("/api/rooms/" + room + "/messages?after=" + (e.seq() - 1) + "&limit=1"))
			.body(e);
	}

	/**
	 * Joins as a web user: 201 with the token that proves the seat. Presence lasts while a STOMP
	 * subscription to the room's topic carries the token in a {@code member} header.
	 */
	@PostMapping("/{room}/members")
	ResponseEntity<Membership> join(@PathVariable String room, @RequestBody JoinRequest body) {
		String token = this.rooms.joinWeb(room, body.nick());
		return ResponseEntity.status(201).body(new Membership(token, String.valueOf(body.nick()), room));
	}

	@DeleteMapping("/{room}/members/{member}")
	ResponseEntity<Void> leave(@PathVariable String room, @PathVariable String member) {
		this.rooms.leaveWeb(room, member);
		return ResponseEntity.noContent().build();
	}

	/** A room: its name (the listener's), who is in it, and its newest sequence number. */
	record RoomView(String name, String listener, List<ChatEvent.Member> members, long lastSeq) {

		static RoomView of(Room r) {
			return new RoomView(r.name(), r.name(), r.members(), r.lastSeq());
		}
	}

	record MessagePage(String room, List<ChatEvent> messages, long next) {
	}

	/** A message: who says it, what, and (for someone present) the token proving it is them. */
	record ChatPost(@Nullable String nick, @Nullable String text, @Nullable String member) {
	}

	record JoinRequest(@Nullable String nick) {
	}

	/** A web user's seat: the token is a secret; it proves the nickname in posts and the subscription. */
	record Membership(String member, String nick, String room) {
	}
}
