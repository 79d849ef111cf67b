package dev.socketdeck.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import dev.socketdeck.chat.ChatEvent;
import dev.socketdeck.chat.ChatException;
import dev.socketdeck.chat.ChatRooms;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.annotation.SendToUser;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.messaging.SessionSubscribeEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

/**
 * Chat over STOMP: every room event goes to {@code /topic/chat/{room}} (from one relay thread,
 * so the I/O loops only queue it and the order holds); {@code SEND /app/chat/{room}} posts;
 * a subscription with a {@code member} header keeps that web user present until it ends.
 * Errors of a send go back to the sender alone, on {@code /user/queue/errors}.
 */
@Controller
class ChatMessaging implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ChatMessaging.class);

	static final String TOPIC = "/topic/chat/";

	private final ChatRooms rooms;

	private final SimpMessagingTemplate template;

	/** Events waiting for the relay; bounded, since rooms publish under their lock and must never wait. */
	static final int OUTBOX = 10_000;

	private final LinkedBlockingQueue<ChatEvent> outbox = new LinkedBlockingQueue<>(OUTBOX);

	private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

	/** session id + subscription id → the room and token it keeps present. */
	private final Map<String, String[]> bound = new ConcurrentHashMap<>();

	private volatile @Nullable Thread relay;

	ChatMessaging(ChatRooms rooms, SimpMessagingTemplate template) {
		this.rooms = rooms;
		this.template = template;
		rooms.observe(e -> {
			if (!this.outbox.offer(e) && this.dropped.incrementAndGet() % 1000 == 1) {
				// pages notice the gap in seq and read it from the history
				log.warn("Chat relay is behind: {} events not sent live so far", this.dropped.get());
			}
		});
	}

	@MessageMapping("/chat/{room}")
	void send(@DestinationVariable String room, @Payload ChatController.ChatPost post) {
		this.rooms.post(room, post.nick(), post.text(), post.member());
	}

	@MessageExceptionHandler(ChatException.class)
	@SendToUser(destinations = "/queue/errors", broadcast = false)
	Map<String, String> failed(ChatException ex) {
		return Map.of("detail", String.valueOf(ex.getMessage()), "field", ex.field());
	}

	/** A SEND whose body is not the JSON expected: said to the sender, like any other refusal. */
	@MessageExceptionHandler(org.springframework.messaging.converter.MessageConversionException.class)
	@SendToUser(destinations = "/queue/errors", broadcast = false)
	Map<String, String> unreadable(Exception ex) {
		return Map.of("detail", "the message must be JSON like {\"nick\":\"alice\",\"text\":\"hi\",\"member\":\"...\"}",
				"field", "text");
	}

	@EventListener
	void subscribed(SessionSubscribeEvent event) {
		StompHeaderAccessor h = StompHeaderAccessor.wrap(event.getMessage());
		String destination = h.getDestination();
		String member = h.getFirstNativeHeader("member");
		if (destination == null || !destination.startsWith(TOPIC) || member == null || h.getSessionId() == null) {
			return;
		}
		String room = destination.substring(TOPIC.length());
		if (this.rooms.bind(room, member, h.getSessionId())) {
			this.bound.put(h.getSessionId() + "/" + h.getSubscriptionId(), new String[] { room, member });
		}
		else {
			// no user here, only a session: address it by session id, which the headers must carry
			SimpMessageHeaderAccessor to = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
			to.setSessionId(h.getSessionId());
			to.setLeaveMutable(true);
			this.template.convertAndSendToUser(h.getSessionId(), "/queue/errors",
					Map.of("detail", "that membership of " + room + " has lapsed; join again", "field", "member"),
					to.getMessageHeaders());
		}
	}

	@EventListener
	void unsubscribed(SessionUnsubscribeEvent event) {
		StompHeaderAccessor h = StompHeaderAccessor.wrap(event.getMessage());
		String[] seat = this.bound.remove(h.getSessionId() + "/" + h.getSubscriptionId());
		if (seat != null && h.getSessionId() != null) {
			this.rooms.unbound(seat[0], seat[1], h.getSessionId());
		}
	}

	@EventListener
	void disconnected(SessionDisconnectEvent event) {
		String session = event.getSessionId();
		this.bound.keySet().removeIf(k -> k.startsWith(session + "/"));
		this.rooms.sessionEnded(session);
	}

	/** Events a room sends live per second at most; past it, pages read the rest from the history. */
	static final int LIVE_PER_SECOND = 500;

	/** One room's live budget: events sent in the current second, and those held back. */
	private static final class Budget {

		long windowStart = System.nanoTime();

		int sent;

		int skipped;

		long lastSkipped;
	}

	private void relay() {
		Map<String, Budget> budgets = new java.util.HashMap<>();
		while (true) {
			ChatEvent e;
			try {
				e = this.outbox.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				return;
			}
			long now = System.nanoTime();
			// a window that ended with events held back tells the pages where to read them
			for (Map.Entry<String, Budget> b : budgets.entrySet()) {
				Budget budget = b.getValue();
				if (now - budget.windowStart >= 1_000_000_000L) {
					if (budget.skipped > 0) {
						send(b.getKey(), new Gap(b.getKey(), budget.lastSkipped, budget.skipped));
					}
					budget.windowStart = now;
					budget.sent = 0;
					budget.skipped = 0;
				}
			}
			if (e == null) {
				budgets.values().removeIf(b -> b.sent == 0 && b.skipped == 0);
				continue;
			}
			Budget budget = budgets.computeIfAbsent(e.room(), r -> new Budget());
			if (budget.sent < LIVE_PER_SECOND) {
				budget.sent++;
				send(e.room(), e);
			}
			else {
				// a flood (a TCP client pasting a file): every subscriber would get every event and
				// fall megabytes behind, and Spring would drop it; hold back, and say so
				budget.skipped++;
				budget.lastSkipped = e.seq();
			}
		}
	}

	private void send(String room, Object payload) {
		try {
			this.template.convertAndSend(TOPIC + room, payload);
		}
		catch (Throwable ex) {
			log.warn("Could not relay a chat event of {}: {}", room, ex.toString());
		}
	}

	/**
	 * Sent on a room's topic after events were held back: they are in the history, up to
	 * {@code seq}, and a page reads them from there.
	 */
	record Gap(String type, String room, long seq, int skipped) {

		Gap(String room, long seq, int skipped) {
			this("gap", room, seq, skipped);
		}
	}

	@Override
	public void start() {
		if (this.relay == null) {
			this.relay = Thread.ofVirtual().name("chat-relay").start(this::relay);
		}
	}

	@Override
	public void stop() {
		Thread t = this.relay;
		this.relay = null;
		if (t != null) {
			t.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.relay != null;
	}
}
