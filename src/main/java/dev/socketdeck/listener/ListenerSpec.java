package dev.socketdeck.listener;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.socketdeck.codec.FramingSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a listener is: everything needed to bind it and run it. Absent values take defaults
 * (host 127.0.0.1, port 0, charset UTF-8, default limits, autostart on); an absent framing is
 * the behaviour's default framing, filled in when the listener is created.
 *
 * @param name unique; also the listener's id in URLs
 * @param protocol tcp or udp
 * @param host the address to bind; loopback unless public binding is allowed
 * @param port 0 to take any free port (the bound port is reported)
 * @param behaviour echo, greeter, http, discard, ...
 * @param options the behaviour's options
 * @param framing how the byte stream is cut into frames
 * @param charset for text shown and sent
 * @param limits connection, frame, idle and queue limits
 * @param autostart start when created, and with the application
 * @param record record frames in and out in the traffic log (default on); off, only the
 * counters and the connection events (open, close, errors) are kept
 */
public record ListenerSpec(
		@NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
				message = "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit") String name,
		@NotNull Protocol protocol, @Nullable String host, @Nullable @Min(0) @Max(65535) Integer port,
		@NotBlank @JsonAlias("behavior") String behaviour, @Nullable Map<String, String> options,
		@Nullable FramingSpec framing, @Nullable String charset, @Nullable @Valid Limits limits,
		@Nullable Boolean autostart, @Nullable Boolean record) {

	public static final String DEFAULT_HOST = "127.0.0.1";

	public ListenerSpec {
		host = (host != null && !host.isBlank()) ? host.strip() : DEFAULT_HOST;
		port = (port != null) ? port : 0;
		options = (options != null) ? Map.copyOf(options) : Map.of();
		charset = (charset != null && !charset.isBlank()) ? charset.strip() : "UTF-8";
		limits = (limits != null) ? limits : Limits.DEFAULTS;
		autostart = (autostart != null) ? autostart : Boolean.TRUE;
		record = (record != null) ? record : Boolean.TRUE;
	}

	/** A spec with the given basics and defaults for the rest. */
	public static ListenerSpec of(String name, Protocol protocol, int port, String behaviour) {
		return new ListenerSpec(name, protocol, null, port, behaviour, null, null, null, null, null, null);
	}

	public ListenerSpec withFraming(FramingSpec framing) {
		return new ListenerSpec(this.name, this.protocol, this.host, this.port, this.behaviour, this.options, framing,
				this.charset, this.limits, this.autostart, this.record);
	}

	public ListenerSpec withLimits(Limits limits) {
		return new ListenerSpec(this.name, this.protocol, this.host, this.port, this.behaviour, this.options,
				this.framing, this.charset, limits, this.autostart, this.record);
	}

	public ListenerSpec withOptions(Map<String, String> options) {
		return new ListenerSpec(this.name, this.protocol, this.host, this.port, this.behaviour, options, this.framing,
				this.charset, this.limits, this.autostart, this.record);
	}

	public ListenerSpec withAutostart(boolean autostart) {
		return new ListenerSpec(this.name, this.protocol, this.host, this.port, this.behaviour, this.options,
				this.framing, this.charset, this.limits, autostart, this.record);
	}
}
