package dev.socketdeck.chat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The chat rooms: one per {@code chat} listener, named after it, made when the listener's
 * behaviour is, gone when the listener is deleted. Web users join here and hold a token; their
 * presence is tied to a live subscription ({@link #bind}), and a join that no subscription
 * claims within {@link #UNBOUND_GRACE_MS} lapses.
 */
@Component
public class ChatRooms implements DisposableBean {

	/** How long a web join may wait for its page's subscription. */
	static final long UNBOUND_GRACE_MS = 15_000;

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	private final List<Consumer<ChatEvent>> observers = new CopyOnWriteArrayList<>();

	private final SecureRandom random = new SecureRandom();

	/** STOMP sessions that ended lately, and when. */
	private final Map<String, Long> ended = new ConcurrentHashMap<>();

	private final ScheduledExecutorService sweeper = Executors
		.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("chat-sweeper").factory());

	public ChatRooms() {
		this.sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
	}

	/**
	 * Receives every event of every room, in each room's order, on the thread that caused it
	 * (an I/O loop among them): it must only hand the event on, never block.
	 */
	public void observe(Consumer<ChatEvent> observer) {
		this.observers.add(observer);
	}

	/** A room for a chat listener being made; found by name once {@link #install}ed. */
	Room newRoom(String name) {
		return new Room(name, this::publish);
	}

	/** The room's listener was registered: the room is found by its name from now on. */
	void install(Room room) {
		Room old = this.rooms.put(room.name(), room);
		if (old != null && old != room) {
			old.closeAll("the room was made again");
		}
	}

	/** The room's listener is gone: so is the room, unless a new one of the same name replaced it. */
	void uninstall(Room room) {
		if (this.rooms.remove(room.name(), room)) {
			room.closeAll("the room was deleted");
		}
	}

	private void publish(ChatEvent e) {
		for (Consumer<ChatEvent> o : this.observers) {
			o.accept(e);
		}
	}

	public List<Room> list() {
		List<Room> list = new ArrayList<>(this.rooms.values());
		list.sort(java.util.Comparator.comparing(Room::name));
		return list;
	}

	public @Nullable Room find(String name) {
		return this.rooms.get(name);
	}

	/** @throws ChatException NOT_FOUND when there is no such room */
	public Room room(String name) {
		Room r = this.rooms.get(name);
		if (r == null) {
			throw new ChatException(ChatException.Kind.NOT_FOUND, "room", "there is no chat room '" + name
					+ "' (a room is a TCP listener with the chat behaviour)");
		}
		return r;
	}

	/** Joins a web user; returns the token that proves the seat. */
	public String joinWeb(String room, @Nullable String nick) {
		byte[] b = new byte[18];
		this.random.nextBytes(b);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
		room(room).join(Room.checkNick(nick), ChatEvent.Via.WEB, null, token);
		return token;
	}

	/** A message from a page or the API; {@code token} proves a web user's seat. */
	public ChatEvent post(String room, @Nullable String nick, @Nullable String text, @Nullable String token) {
		return room(room).post(Room.checkNick(nick), Room.checkText(text), token);
	}

	/** Leaves now. @throws ChatException NOT_FOUND when the token holds no seat there */
	public void leaveWeb(String room, String token) {
		Room r = room(room);
		Room.Seat seat = seat(r, token);
		if (seat == null) {
			throw new ChatException(ChatException.Kind.NOT_FOUND, "member",
					"no one in " + room + " holds that membership (it may have lapsed)");
		}
		r.leave(seat, seat.nick + " left");
	}

	/**
	 * Ties a web seat to a subscription of the STOMP session {@code session}: the seat lasts until
	 * that session goes. Returns false when the token holds no seat in that room.
	 */
	public boolean bind(String room, String token, String session) {
		Room r = this.rooms.get(room);
		Room.Seat seat = (r != null) ? seat(r, token) : null;
		if (seat == null) {
			return false;
		}
		seat.session = session;
		if (this.ended.containsKey(session)) {
			// the session ended while this subscription was being handled
			r.leaveIfBound(seat, session, seat.nick + " left");
		}
		return true;
	}

	/**
	 * The STOMP session ended: its web users leave. Remembered for a while, so a subscription
	 * handled after the end (on another thread) does not bind a seat to it.
	 */
	public void sessionEnded(String session) {
		this.ended.put(session, System.currentTimeMillis());
		for (Room r : this.rooms.values()) {
			for (Room.Seat s : r.webSeats()) {
				r.leaveIfBound(s, session, s.nick + " left");
			}
		}
	}

	/** The subscription that kept a web user present ended: it leaves, unless it was bound again elsewhere. */
	public void unbound(String room, String token, String session) {
		Room r = this.rooms.get(room);
		Room.Seat seat = (r != null) ? seat(r, token) : null;
		if (r != null && seat != null) {
			r.leaveIfBound(seat, session, seat.nick + " left");
		}
	}

	private static Room.@Nullable Seat seat(Room r, String token) {
		for (Room.Seat s : r.webSeats()) {
			if (token.equals(s.token)) {
				return s;
			}
		}
		return null;
	}

	private void sweep() {
		long now = System.currentTimeMillis();
		for (Room r : this.rooms.values()) {
			for (Room.Seat s : r.webSeats()) {
				if (now - s.joinedAtMillis > UNBOUND_GRACE_MS) {
					r.leaveIfBound(s, null, s.nick + " left (the page never connected)");
				}
			}
		}
		this.ended.values().removeIf(at -> now - at > 60_000);
	}

	@Override
	public void destroy() {
		this.sweeper.shutdownNow();
	}
}
