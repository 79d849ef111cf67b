package dev.socketdeck.web;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/** Hides a WebSocket handshake's extension offers (permessage-deflate), so none is negotiated. */
final class UncompressedWebSocketFilter extends OncePerRequestFilter {

	static final String EXTENSIONS = "Sec-WebSocket-Extensions";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getHeader(EXTENSIONS) == null) {
			chain.doFilter(request, response);
			return;
		}
		chain.doFilter(new HttpServletRequestWrapper(request) {

			@Override
			public @Nullable String getHeader(String name) {
				return EXTENSIONS.equalsIgnoreCase(name) ? null : super.getHeader(name);
			}

			@Override
			public Enumeration<String> getHeaders(String name) {
				return EXTENSIONS.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
			}

			@Override
			public Enumeration<String> getHeaderNames() {
				return Collections.enumeration(Collections.list(super.getHeaderNames())
					.stream()
					.filter((n) -> !EXTENSIONS.equalsIgnoreCase(n))
					.toList());
			}
		}, response);
	}
}
