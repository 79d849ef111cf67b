/**
 * Framing: how a byte stream is cut into frames and how a frame is put back on the wire.
 * One decoder and one encoder per framing; every decoder enforces a max frame size and
 * knows whether a close came between frames or inside one.
 */
@NullMarked
package dev.socketdeck.codec;

import org.jspecify.annotations.NullMarked;
