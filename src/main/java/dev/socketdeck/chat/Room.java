package dev.socketdeck.chat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import dev.socketdeck.behaviour.Peer;
import dev.socketdeck.chat.ChatEvent.Member;
import org.jspecify.annotations.Nullable;

/**
 * One chat room: who is present, the last {@link #HISTORY} events, and the fan-out. Every
 * event is numbered, kept and handed out under one lock, so all participants see the same
 * order; a TCP participant is only ever handed bytes to queue ({@link Peer#send} does not
 * block), so a participant that stops reading delays nobody: the engine drops it when its
 * queue is full, and the room says so.
 */
public final class Room {

	/** Events kept per room. */
	static final int HISTORY = 500;

	/** The longest message, in characters. */
	static final int MAX_TEXT = 1000;

	/** People present at most: each join and leave carries the member list, so it stays short. */
	static final int MAX_SEATS = 200;

	private static final Pattern NICK = Pattern.compile("[A-Za-z0-9._-]{1,24}");

	private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]");

	private final String name;

	private final Consumer<ChatEvent> observer;

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<ChatEvent> history = new ArrayDeque<>();

	private final Map<String, Seat> seats = new LinkedHashMap<>();

	private final int maxSeats;

	private long nextSeq = 1;

	Room(String name, Consumer<ChatEvent> observer) {
		this(name, observer, MAX_SEATS);
	}

	Room(String name, Consumer<ChatEvent> observer, int maxSeats) {
		this.name = name;
		this.observer = observer;
		this.maxSeats = maxSeats;
	}

	public String name() {
		return this.name;
	}

	/** Someone present: a TCP client (with its peer) or a web user (with its token). */
	static final class Seat {

		final String nick;

		final ChatEvent.Via via;

		final @Nullable Peer peer;

		final @Nullable String token;

		final long joinedAtMillis = System.currentTimeMillis();

		volatile @Nullable String session;

		Seat(String nick, ChatEvent.Via via, @Nullable Peer peer, @Nullable String token) {
			this.nick = nick;
			this.via = via;
			this.peer = peer;
			this.token = token;
		}
	}

	static String checkNick(@Nullable String nick) {
		if (nick == null || !NICK.matcher(nick).matches()) {
			throw new ChatException(ChatException.Kind.INVALID, "nick",
					"nicknames are 1 to 24 letters, digits, '-', '_' or '.'");
		}
		return nick;
	}

	static String checkText(@Nullable String text) {
		if (text == null || text.isBlank()) {
			throw new ChatException(ChatException.Kind.INVALID, "text", "say something: the text is empty");
		}
		if (text.length() > MAX_TEXT) {
			throw new ChatException(ChatException.Kind.INVALID, "text",
					"a message has at most " + MAX_TEXT + " characters; this one has " + text.length());
		}
		return text;
	}

	/** Text as TCP clients get it: control characters (and bidi overrides) stripped, one line. */
	static String forTcp(String text) {
		return CONTROL.matcher(text).replaceAll("");
	}

	/** Takes a seat, announcing the join; refuses a nickname someone present has. */
	Seat join(String nick, ChatEvent.Via via, @Nullable Peer peer, @Nullable String token) {
		return join(nick, via, peer, token, 0, null);
	}

	/**
	 * Takes a seat for a TCP client and, in the same step, sends it the last {@code replay}
	 * events and the {@code greeting}: no event can fall between what it is replayed and what
	 * it is sent live, nor come before the replay.
	 */
	Seat join(String nick, ChatEvent.Via via, @Nullable Peer peer, @Nullable String token, int replay,
			java.util.function.@Nullable Function<List<Member>, String> greeting) {
		checkNick(nick);
		this.lock.lock();
		try {
			Seat holder = this.seats.get(key(nick));
			if (holder != null) {
				throw new ChatException(ChatException.Kind.TAKEN, "nick", "the nickname '" + holder.nick + "' is taken in "
						+ this.name + " (" + (holder.via == ChatEvent.Via.TCP ? "a TCP client" : "a web user") + " has it)");
			}
			if (this.seats.size() >= this.maxSeats) {
				throw new ChatException(ChatException.Kind.TAKEN, "nick",
						this.name + " is full: " + this.maxSeats + " people are in it");
			}
			Seat seat = new Seat(nick, via, peer, token);
			if (peer != null) {
				int skip = Math.max(0, this.history.size() - replay);
				int i = 0;
				for (ChatEvent e : this.history) {
					if (i++ >= skip) {
						peer.send(line(e));
					}
				}
			}
			this.seats.put(key(nick), seat);
			ChatEvent joined = publish(ChatEvent.Type.JOIN, nick, nick + " joined", via, seat);
			if (peer != null && greeting != null) {
				peer.send(greeting.apply(java.util.Objects.requireNonNull(joined.members())));
			}
			return seat;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Gives the seat up if it is still bound to the STOMP session {@code session} (or to none, when null). */
	void leaveIfBound(Seat seat, @Nullable String session, String text) {
		this.lock.lock();
		try {
			if (java.util.Objects.equals(seat.session, session)) {
				leave(seat, text);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Gives the seat up (if still held), announcing it with {@code text}. */
	void leave(Seat seat, String text) {
		this.lock.lock();
		try {
			if (this.seats.get(key(seat.nick)) != seat) {
				return;
			}
			this.seats.remove(key(seat.nick));
			publish(ChatEvent.Type.LEAVE, seat.nick, text, seat.via, seat);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A message from someone present. */
	ChatEvent say(Seat seat, String text) {
		checkText(text);
		this.lock.lock();
		try {
			if (this.seats.get(key(seat.nick)) != seat) {
				throw new ChatException(ChatException.Kind.NOT_FOUND, "nick", seat.nick + " is no longer in " + this.name);
			}
			return publish(ChatEvent.Type.MESSAGE, seat.nick, text, seat.via, seat);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A message from the API or a page: {@code token} proves the nickname's seat; without it, the
	 * nickname must not belong to anyone present.
	 */
	ChatEvent post(String nick, String text, @Nullable String token) {
		checkNick(nick);
		checkText(text);
		this.lock.lock();
		try {
			Seat holder = this.seats.get(key(nick));
			if (holder != null) {
				if (token == null || !token.equals(holder.token)) {
					throw new ChatException(ChatException.Kind.TAKEN, "nick", "the nickname '" + holder.nick
							+ "' is in use in " + this.name + " by someone else; pick another");
				}
				return publish(ChatEvent.Type.MESSAGE, holder.nick, text, holder.via, holder);
			}
			return publish(ChatEvent.Type.MESSAGE, nick, text, ChatEvent.Via.API, null);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A notice from the room itself, to everyone. */
	void notice(String text) {
		this.lock.lock();
		try {
			publish(ChatEvent.Type.NOTICE, null, text, null, null);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Numbers, keeps and hands out one event; the caller holds the lock. */
	private ChatEvent publish(ChatEvent.Type type, @Nullable String nick, String text, ChatEvent.@Nullable Via via,
			@Nullable Seat from) {
		boolean presence = type == ChatEvent.Type.JOIN || type == ChatEvent.Type.LEAVE;
		ChatEvent e = new ChatEvent(this.nextSeq++, Instant.now(), this.name, type, nick, text, via,
				presence ? membersLocked() : null);
		this.history.addLast(e);
		if (this.history.size() > HISTORY) {
			this.history.removeFirst();
		}
		String line = line(e);
		// no copy needed: a send never changes the seats from here, since the engine ends a
		// connection (and so calls its handler's onClose) only as a task on its loop, later
		for (Seat s : this.seats.values()) {
			Peer p = s.peer;
			if (p != null && s != from) {
				p.send(line);
			}
		}
		this.observer.accept(e);
		return e;
	}

	/** An event as a TCP client reads it. */
	static String line(ChatEvent e) {
		return switch (e.type()) {
			case MESSAGE -> "[" + e.nick() + "] " + forTcp(e.text());
			case JOIN -> "* " + forTcp(e.text()) + " (" + (e.via() != null ? e.via().label() : "") + ")";
			case LEAVE, NOTICE -> "* " + forTcp(e.text());
		};
	}

	public List<Member> members() {
		this.lock.lock();
		try {
			return membersLocked();
		}
		finally {
			this.lock.unlock();
		}
	}

	private List<Member> membersLocked() {
		List<Member> list = new ArrayList<>(this.seats.size());
		for (Seat s : this.seats.values()) {
			list.add(new Member(s.nick, s.via));
		}
		return list;
	}

	/** Events after {@code after}, oldest first, at most {@code limit}. */
	public List<ChatEvent> history(long after, int limit) {
		this.lock.lock();
		try {
			List<ChatEvent> out = new ArrayList<>();
			for (ChatEvent e : this.history) {
				if (e.seq() > after) {
					out.add(e);
					if (out.size() == limit) {
						break;
					}
				}
			}
			return out;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The newest sequence number, 0 before anything happened. */
	public long lastSeq() {
		this.lock.lock();
		try {
			return this.nextSeq - 1;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The seats of web users, for binding and expiry. */
	List<Seat> webSeats() {
		this.lock.lock();
		try {
			return this.seats.values().stream().filter(s -> s.token != null).toList();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Everyone leaves (the room is going away): TCP clients are told and closed. */
	void closeAll(String why) {
		List<Seat> all;
		this.lock.lock();
		try {
			all = new ArrayList<>(this.seats.values());
		}
		finally {
			this.lock.unlock();
		}
		for (Seat s : all) {
			leave(s, s.nick + " left (" + why + ")");
			Peer p = s.peer;
			if (p != null) {
				p.send("* " + why);
				p.close(why);
			}
		}
	}

	private static String key(String nick) {
		return nick.toLowerCase(Locale.ROOT);
	}
}
