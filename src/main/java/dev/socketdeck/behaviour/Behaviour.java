package dev.socketdeck.behaviour;

/** What a listener does with the frames of each connection or peer. One instance per listener. */
public interface Behaviour {

	/** Called when a TCP connection opens or a UDP peer sends its first datagram. */
	Handler open(Peer peer);

	/** One connection's or peer's side of a behaviour; called by one thread at a time. */
	interface Handler {

		void onFrame(byte[] frame);

		/** The connection closed or the peer was forgotten. */
		default void onClose() {
		}
	}
}
