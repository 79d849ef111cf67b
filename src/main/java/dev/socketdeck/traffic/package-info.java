/**
 * Traffic: every open, close, frame and error as an event in a bounded per-owner log, plus
 * counters. Socket threads only append and count here; readers (REST history, live streams)
 * page through the log by sequence number on their own threads.
 */
@NullMarked
package dev.socketdeck.traffic;

import org.jspecify.annotations.NullMarked;
