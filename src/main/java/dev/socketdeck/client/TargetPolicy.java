package dev.socketdeck.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The one gate every outbound path passes: TCP sessions, exchanges, UDP sends and fetches.
 * Deny rules first, then the allow list; a rule is a host name (with {@code *} wildcards), an
 * IP address or a CIDR range. Host rules match the name as given, address rules each address it
 * resolves to; the first address no rule refuses is the one connected to.
 */
@Component
public class TargetPolicy {

	/** How long a lookup may take when the caller has no deadline of its own. */
	static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofSeconds(5);

	private final List<Rule> allow;

	private final List<Rule> deny;

	private final @Nullable String closedBecause;

	@Autowired
	TargetPolicy(OutboundProperties properties, @Value("${server.address:}") String serverAddress) {
		this(rules("socketdeck.outbound.allow", properties.allow()), rules("socketdeck.outbound.deny", properties.deny()),
				isLoopback(serverAddress) ? null
						: "the dashboard is reachable from other machines (server.address="
								+ (serverAddress.isBlank() ? "all interfaces" : serverAddress) + ")");
	}

	private TargetPolicy(List<Rule> allow, List<Rule> deny, @Nullable String closedBecause) {
		this.allow = allow;
		this.deny = deny;
		this.closedBecause = closedBecause;
	}

	/**
	 * A policy with the given rules.
	 * @param closedBecause when not null and the allow list is empty, every target is refused
	 * with this reason
	 */
	static TargetPolicy of(OutboundProperties properties, @Nullable String closedBecause) {
		return new TargetPolicy(rules("socketdeck.outbound.allow", properties.allow()),
				rules("socketdeck.outbound.deny", properties.deny()), closedBecause);
	}

	/** A policy that allows any host. */
	public static TargetPolicy open() {
		return of(OutboundProperties.defaults(), null);
	}

	private static List<Rule> rules(String list, List<String> rules) {
		return rules.stream().map(r -> Rule.parse(list, r)).toList();
	}

	/**
	 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d), as a resolver may hand out, is the IPv4
	 * address it carries: rules for 127.0.0.0/8 must match ::ffff:127.0.0.1 as well. (Java turns
	 * such literals into IPv4 itself, but not the resolver's answers.)
	 */
	static InetAddress normalise(InetAddress address) {
		byte[] a = address.getAddress();
		if (a.length != 16) {
			return address;
		}
		for (int i = 0; i < 10; i++) {
			if (a[i] != 0) {
				return address;
			}
		}
		if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) {
			return address;
		}
		try {
			return InetAddress.getByAddress(java.util.Arrays.copyOfRange(a, 12, 16));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex); // four bytes are always an address
		}
	}

	/** Looks the name up, within {@code timeout}: the system resolver alone may wait much longer. */
	private static InetAddress[] resolve(String name, Duration timeout) {
		java.util.concurrent.FutureTask<InetAddress[]> lookup = new java.util.concurrent.FutureTask<>(
				() -> InetAddress.getAllByName(name));
		Thread.ofVirtual().name("resolve-" + name).start(lookup);
		try {
			return lookup.get(Math.max(1, timeout.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			lookup.cancel(true);
			throw new OutboundException(OutboundException.Kind.TIMEOUT,
					"looking up '" + name + "' took longer than " + timeout.toMillis() + " ms", "host");
		}
		catch (java.util.concurrent.ExecutionException ex) {
			if (ex.getCause() instanceof UnknownHostException) {
				throw new OutboundException(OutboundException.Kind.UNKNOWN_HOST,
						"cannot resolve host '" + name + "': no such host is known", "host");
			}
			throw new OutboundException(OutboundException.Kind.UNKNOWN_HOST,
					"cannot resolve host '" + name + "': " + ex.getCause(), "host");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new OutboundException(OutboundException.Kind.TIMEOUT, "looking up '" + name + "' was interrupted", "host");
		}
	}

	/**
	 * Resolves {@code host} and returns the first of its addresses the rules allow.
	 * @throws OutboundException {@link OutboundException.Kind#DENIED} naming the rule that refused
	 * it, or {@link OutboundException.Kind#UNKNOWN_HOST}
	 */
	public Target check(String host, int port) {
		return check(host, port, DEFAULT_RESOLVE_TIMEOUT);
	}

	/** As {@link #check(String, int)}, the lookup bounded by {@code resolveTimeout}. */
	public Target check(String host, int port, Duration resolveTimeout) {
		String name = host.trim();
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		if (name.endsWith(".") && name.length() > 1) {
			// "host." is the fully qualified "host": the same addresses, so the same rules
			name = name.substring(0, name.length() - 1);
		}
		if (this.allow.isEmpty() && this.closedBecause != null) {
			throw denied("outbound connections are off: " + this.closedBecause
					+ " and socketdeck.outbound.allow is empty; list the hosts or ranges you want to reach there");
		}
		for (Rule r : this.deny) {
			if (r.matchesName(name)) {
				throw denied("host '" + name + "' is refused by the rule '" + r.text() + "' in " + r.list());
			}
		}
		if (name.isEmpty()) {
			throw new OutboundException(OutboundException.Kind.INVALID, "host: give a host name or address", "host");
		}
		InetAddress[] addresses = resolve(name, resolveTimeout);
		String refusal = null;
		for (InetAddress resolved : addresses) {
			InetAddress a = normalise(resolved);
			if (a.isAnyLocalAddress()) {
				// connecting to 0.0.0.0 or :: reaches this machine, past any loopback rule
				throw new OutboundException(OutboundException.Kind.INVALID, "host: '" + name + "' is the unspecified address "
						+ a.getHostAddress() + ", not one to connect to; use 127.0.0.1 or ::1 for this machine", "host");
			}
			String why = refusal(name, a);
			if (why == null) {
				return new Target(name, port, a);
			}
			if (refusal == null) {
				refusal = why;
			}
		}
		throw denied(String.valueOf(refusal));
	}

	private @Nullable String refusal(String name, InetAddress address) {
		for (Rule r : this.deny) {
			if (r.matchesAddress(address)) {
				return "'" + name + "' (" + address.getHostAddress() + ") is refused by the rule '" + r.text() + "' in "
						+ r.list();
			}
		}
		if (this.allow.isEmpty()) {
			return null;
		}
		for (Rule r : this.allow) {
			if (r.matchesName(name) || r.matchesAddress(address)) {
				return null;
			}
		}
		return "'" + name + "' (" + address.getHostAddress() + ") matches no rule in socketdeck.outbound.allow "
				+ this.allow.stream().map(Rule::text).toList();
	}

	private static OutboundException denied(String message) {
		return new OutboundException(OutboundException.Kind.DENIED, message, "host");
	}

	private static boolean isLoopback(String serverAddress) {
		if (serverAddress.isBlank()) {
			return false;
		}
		try {
			return InetAddress.getByName(serverAddress.trim()).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/** One rule: a host pattern, or an address range (a single address is a full-length prefix). */
	record Rule(String list, String text, @Nullable Pattern name, byte @Nullable [] network, int prefix) {

		static Rule parse(String list, String rule) {
			String t = rule.trim();
			if (t.isEmpty()) {
				throw new IllegalStateException(list + " has an empty rule");
			}
			int slash = t.indexOf('/');
			String addressPart = (slash >= 0) ? t.substring(0, slash) : t;
			InetAddress literal = literal(addressPart);
			if (literal != null) {
				int bits = literal.getAddress().length * 8;
				int prefix = bits;
				if (slash >= 0) {
					try {
						prefix = Integer.parseInt(t.substring(slash + 1));
					}
					catch (NumberFormatException ex) {
						prefix = -1;
					}
					if (prefix < 0 || prefix > bits) {
						throw new IllegalStateException(list + " rule '" + t + "': the prefix length must be 0 to " + bits);
					}
				}
				return new Rule(list, t, null, literal.getAddress(), prefix);
			}
			if (slash >= 0 || !t.matches("[A-Za-z0-9*._-]+")) {
				throw new IllegalStateException(list + " rule '" + t
						+ "' is neither a host name (wildcards: *), an IP address nor a CIDR range");
			}
			String regex = Pattern.quote(t.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
			return new Rule(list, t, Pattern.compile(regex), null, 0);
		}

		private static @Nullable InetAddress literal(String s) {
			try {
				return InetAddress.ofLiteral(s);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

		boolean matchesName(String host) {
			return this.name != null && this.name.matcher(host.toLowerCase(Locale.ROOT)).matches();
		}

		boolean matchesAddress(InetAddress address) {
			byte[] net = this.network;
			if (net == null) {
				return false;
			}
			byte[] a = address.getAddress();
			if (a.length != net.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (a[i] != net[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (a[full] & mask) == (net[full] & mask);
		}
	}
}
