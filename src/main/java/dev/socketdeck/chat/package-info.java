/**
 * Chat rooms shared by raw TCP clients and web users, and the support desk. Rooms live in
 * {@link dev.socketdeck.chat.ChatRooms}, never in a static field; the {@code chat} and
 * {@code desk} behaviours reach them through it. Like the engine, it knows nothing of HTTP or
 * STOMP: it hands each room event to observers, and {@code web} turns them into topics.
 */
@NullMarked
package dev.socketdeck.chat;

import org.jspecify.annotations.NullMarked;
