package dev.socketdeck.web;

/**
 * A listener's change on {@code /topic/listeners}.
 *
 * @param kind created, started, stopped, failed or deleted
 * @param listener the listener afterwards (as it was just before, for deleted)
 */
record ListenerEventMessage(String kind, ListenerView listener) {
}
