package dev.socketdeck.chat;

import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.socketdeck.behaviour.Behaviour;
import dev.socketdeck.behaviour.BehaviourFactory;
import dev.socketdeck.behaviour.Peer;
import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import org.springframework.stereotype.Component;

/**
 * The {@code desk} behaviour, the tutorials' support desk: each TCP client is a private
 * conversation with the operators, who read it on {@code /desk/{id}} (the connection's traffic)
 * and answer through the connection's send endpoint. Clients never see each other. When either
 * side sends {@code byebye} the conversation ends and the socket closes; {@code /nick NAME}
 * tells the operators who is asking.
 */
@Component
class DeskBehaviour implements BehaviourFactory {

	static final String WELCOME = "Welcome to the support desk. Type your question; an operator will answer here. "
			+ "/nick NAME tells us your name; byebye ends the conversation.";

	@Override
	public String name() {
		return "desk";
	}

	@Override
	public String description() {
		return "a support desk: each client is a private conversation that operators answer on /desk/{id}; "
				+ "byebye from either side ends it";
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
		Map<String, String> d = new LinkedHashMap<>();
		d.put("welcome", WELCOME);
		return d;
	}

	@Override
	public Behaviour create(Map<String, String> options) {
		checkKnown(options);
		String welcome = options.getOrDefault("welcome", WELCOME);
		return peer -> {
			if (!welcome.isEmpty()) {
				peer.send(welcome);
			}
			return new Conversation(peer);
		};
	}

	/** One client's conversation. */
	static final class Conversation implements Behaviour.Handler {

		private final Peer peer;

		Conversation(Peer peer) {
			this.peer = peer;
		}

		@Override
		public void onFrame(byte[] frame) {
			String line = new String(frame, this.peer.charset()).strip();
			if (line.equals("byebye")) {
				this.peer.send("Bye!");
				this.peer.close("the client said byebye");
			}
			else if (line.equals("/nick") || line.startsWith("/nick ")) {
				String nick = Room.forTcp(line.substring(5).strip());
				if (nick.length() > 40) {
					nick = nick.substring(0, 40);
				}
				this.peer.label(nick.isEmpty() ? null : nick);
				this.peer.send(nick.isEmpty() ? "Name cleared." : "Thanks, " + nick + ".");
			}
		}

		@Override
		public void onApiSend(byte[] payload) {
			if (decode(payload, this.peer.charset()).strip().equals("byebye")) {
				this.peer.close("the operator said byebye");
			}
		}

		private static String decode(byte[] payload, Charset charset) {
			return new String(payload, charset);
		}
	}
}
