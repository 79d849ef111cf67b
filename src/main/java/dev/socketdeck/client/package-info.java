/**
 * Outbound sockets: TCP client sessions that stay open, one-shot TCP exchanges, UDP datagrams
 * and their replies, and HTTP requests written by hand over a raw socket (TLS through
 * {@code SSLSocket}). Every target passes one {@link dev.socketdeck.client.TargetPolicy} first.
 * Like the engine it knows nothing of Spring MVC, STOMP or pages.
 */
@NullMarked
package dev.socketdeck.client;

import org.jspecify.annotations.NullMarked;
