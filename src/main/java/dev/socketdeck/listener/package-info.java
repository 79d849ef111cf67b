/**
 * The socket engine: listener specs, TCP and UDP listeners and their connections, and the
 * registry that owns them all. It knows nothing of HTTP, STOMP or pages: it records traffic
 * and publishes {@link dev.socketdeck.listener.ListenerEvent}s.
 */
@NullMarked
package dev.socketdeck.listener;

import org.jspecify.annotations.NullMarked;
