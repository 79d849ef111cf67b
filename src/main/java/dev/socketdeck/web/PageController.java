package dev.socketdeck.web;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.socketdeck.chat.ChatRooms;
import dev.socketdeck.listener.Listener;
import dev.socketdeck.listener.ListenerRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.ModelAndView;

/**
 * The browser pages: Thymeleaf templates that load the scripts built from {@code frontend/}.
 * {@code /} is the dashboard, {@code /listeners/{id}} one listener. The first state is rendered
 * here; the scripts keep it live. An unknown listener is a 404 page, not JSON: pages answer
 * people, the API's problem+json is for programs.
 */
@Controller
class PageController {

	private final ListenerRegistry registry;

	private final ChatRooms rooms;

	PageController(ListenerRegistry registry, ChatRooms rooms) {
		this.registry = registry;
		this.rooms = rooms;
	}

	@GetMapping("/")
	String dashboard(Model model) {
		model.addAttribute("listeners", this.registry.list().stream().map(ListenerView::of).toList());
		return "dashboard";
	}

	/** Outbound: TCP sessions, UDP sends and fetches. */
	@GetMapping("/clients")
	String clients() {
		return "clients";
	}

	/** A chat room, shared with the raw TCP clients of its listener. */
	@GetMapping("/chat/{room}")
	ModelAndView chat(@PathVariable String room, HttpServletRequest request) {
		if (this.rooms.find(room) == null) {
			return errorPage(HttpStatus.NOT_FOUND, "There is no chat room named '" + room
					+ "'. A room is a TCP listener with the chat behaviour, like the lobby on port 2401.", request);
		}
		return new ModelAndView("chat", Map.of("room", room));
	}

	/** The support desk of a desk listener: its connections are the conversations. */
	@GetMapping("/desk/{id}")
	ModelAndView desk(@PathVariable String id, HttpServletRequest request) {
		Listener l = this.registry.find(id);
		if (l == null || !"desk".equals(l.spec().behaviour())) {
			return errorPage(HttpStatus.NOT_FOUND, (l == null) ? "There is no listener named '" + id + "'."
					: "The listener '" + id + "' is not a support desk (its behaviour is " + l.spec().behaviour() + ").",
					request);
		}
		return new ModelAndView("desk", Map.of("id", l.id(), "listener", ListenerView.of(l.info())));
	}

	@GetMapping("/listeners/{id}")
	ModelAndView listener(@PathVariable String id, HttpServletRequest request) {
		Listener l = this.registry.find(id);
		if (l == null) {
			return errorPage(HttpStatus.NOT_FOUND, "There is no listener named '" + id + "'.", request);
		}
		return new ModelAndView("listener", Map.of("id", l.id(), "listener", ListenerView.of(l.info())));
	}

	/** The error template with the model Spring Boot's error view gives it too. */
	static ModelAndView errorPage(HttpStatus status, String message, HttpServletRequest request) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("status", status.value());
		model.put("error", status.getReasonPhrase());
		model.put("message", message);
		model.put("path", request.getRequestURI());
		return new ModelAndView("error", model, status);
	}

	/**
	 * Errors while rendering a page become an HTML page as well. Scoped to this controller and
	 * ordered before {@link ApiExceptionHandler}, which answers everything else with problem+json.
	 */
	@ControllerAdvice(assignableTypes = PageController.class)
	@Order(Ordered.HIGHEST_PRECEDENCE)
	static class PageErrors {

		private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

		@ExceptionHandler(Exception.class)
		ModelAndView failed(Exception ex, HttpServletRequest request) {
			log.error("Could not render {}", request.getRequestURI(), ex);
			return errorPage(HttpStatus.INTERNAL_SERVER_ERROR,
					"Something went wrong on the server (" + ex.getClass().getSimpleName() + "); the server log has details.",
					request);
		}
	}
}
