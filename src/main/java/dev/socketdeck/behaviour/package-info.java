/**
 * Behaviours: what a listener does with each frame. Each is a small strategy made by a
 * {@link dev.socketdeck.behaviour.BehaviourFactory} from a listener's options; it talks to the
 * far end only through {@link dev.socketdeck.behaviour.Peer}.
 */
@NullMarked
package dev.socketdeck.behaviour;

import org.jspecify.annotations.NullMarked;
