/**
 * The web side: REST controllers, the live traffic stream, error answers. It turns the
 * engine's state and events into JSON; the engine never calls it.
 */
@NullMarked
package dev.socketdeck.web;

import org.jspecify.annotations.NullMarked;
