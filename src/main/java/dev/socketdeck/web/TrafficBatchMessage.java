package dev.socketdeck.web;

import java.util.List;

/**
 * A batch of traffic on {@code /topic/listeners/{id}/traffic}.
 *
 * @param listener the listener's id
 * @param events oldest first, consecutive sequence numbers, in the live topic's lean form
 * @param dropped events skipped just before these because the topic fell behind (or the log had
 * already dropped them); {@code next - dropped - events.length} is the previous batch's next
 * @param next the sequence number this batch covers up to
 */
record TrafficBatchMessage(String listener, List<LiveTrafficEvent> events, long dropped, long next) {
}
