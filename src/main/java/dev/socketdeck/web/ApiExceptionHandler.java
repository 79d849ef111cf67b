package dev.socketdeck.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.socketdeck.chat.ChatException;
import dev.socketdeck.client.NoSuchSessionException;
import dev.socketdeck.client.OutboundException;
import dev.socketdeck.listener.InvalidSpecException;
import dev.socketdeck.listener.ListenerConflictException;
import dev.socketdeck.listener.NoSuchConnectionException;
import dev.socketdeck.listener.NoSuchListenerException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error the API gives is RFC 9457 {@code application/problem+json}, with a detail a
 * person can act on and, where one field is at fault, its name in {@code field}.
 *
 * <p>Not limited to this package's controllers: an advice with a selector is skipped when no
 * handler was found, so a wrong method (405) or an unknown path (404) would get Spring Boot's
 * other error shape.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler({ NoSuchListenerException.class, NoSuchConnectionException.class })
	ProblemDetail notFound(RuntimeException ex) {
		return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage(), null);
	}

	@ExceptionHandler(ChatException.class)
	ProblemDetail chat(ChatException ex) {
		return switch (ex.kind()) {
			case INVALID -> problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage(), ex.field());
			case TAKEN -> problem(HttpStatus.CONFLICT, "Nickname taken", ex.getMessage(), ex.field());
			case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage(), null);
		};
	}

	@ExceptionHandler(NoSuchSessionException.class)
	ProblemDetail noSession(NoSuchSessionException ex) {
		return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage(), null);
	}

	/** An outbound request that failed: the status says whose fault, the detail what happened. */
	@ExceptionHandler(OutboundException.class)
	ProblemDetail outbound(OutboundException ex) {
		HttpStatus status = switch (ex.kind()) {
			case INVALID -> HttpStatus.BAD_REQUEST;
			case DENIED -> HttpStatus.FORBIDDEN;
			case CLOSED, BUSY, CONFLICT -> HttpStatus.CONFLICT;
			case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
			case REFUSED, UNKNOWN_HOST, RESET, TLS, MALFORMED, TOO_LARGE -> HttpStatus.BAD_GATEWAY;
		};
		return problem(status, ex.kind().title(), ex.getMessage(), ex.field());
	}

	@ExceptionHandler(ListenerConflictException.class)
	ProblemDetail conflict(ListenerConflictException ex) {
		return problem(HttpStatus.CONFLICT, "Conflict", ex.getMessage(), ex.field());
	}

	@ExceptionHandler(InvalidSpecException.class)
	ProblemDetail invalid(InvalidSpecException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage(), ex.field());
	}

	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception ex) {
		log.error("Unexpected error answering a request", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected error",
				"something went wrong on the server (" + ex.getClass().getSimpleName() + "); the server log has details",
				null);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String field = null;
		String detail;
		JacksonException jackson = find(ex, JacksonException.class);
		if (jackson instanceof UnrecognizedPropertyException unknown) {
			field = path(unknown);
			detail = "unknown field '" + field + "'"
					+ (unknown.getKnownPropertyIds() != null && !unknown.getKnownPropertyIds().isEmpty()
							? " (known fields: " + join(unknown.getKnownPropertyIds()) + ")" : "");
		}
		else if (jackson instanceof InputCoercionException coercion) {
			// valid JSON, a number too big for its field: "port": 99999999999
			field = path(coercion);
			detail = (field.isEmpty() ? "" : field + ": ") + "the number is too big for "
					+ describe(coercion.getTargetType()) + " (" + firstLine(coercion.getOriginalMessage()) + ")";
		}
		else if (jackson instanceof StreamReadException read) {
			detail = "the body is not valid JSON: " + read.getOriginalMessage()
					+ (read.getLocation() != null ? " (line " + read.getLocation().getLineNr() + ", column "
							+ read.getLocation().getColumnNr() + ")" : "");
		}
		else if (jackson instanceof InvalidFormatException format
				&& find(jackson, IllegalArgumentException.class) == null) {
			field = path(format);
			detail = field + ": " + format.getValue() + " is not " + describe(format.getTargetType());
		}
		else if (jackson instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
				&& find(jackson, IllegalArgumentException.class) == null) {
			field = path(mismatch);
			detail = (field.isEmpty() ? "the body" : field) + " should be " + describe(mismatch.getTargetType());
		}
		else if (jackson != null) {
			field = path(jackson);
			IllegalArgumentException cause = find(jackson, IllegalArgumentException.class);
			String why = (cause != null) ? cause.getMessage() : jackson.getOriginalMessage();
			detail = (field.isEmpty() ? "" : field + ": ") + firstLine(why);
		}
		else if (String.valueOf(ex.getMessage()).startsWith("Required request body is missing")) {
			detail = "this request needs a JSON body";
		}
		else {
			detail = "the body cannot be read: " + firstLine(ex.getMessage());
		}
		ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Malformed request", detail,
				(field == null || field.isEmpty()) ? null : field);
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		List<String> parts = new ArrayList<>();
		for (FieldError fe : ex.getBindingResult().getFieldErrors()) {
			String message = String.valueOf(fe.getDefaultMessage());
			errors.add(Map.of("field", fe.getField(), "message", message));
			parts.add(fe.getField() + ": " + message);
		}
		ex.getBindingResult().getGlobalErrors().forEach(ge -> parts.add(String.valueOf(ge.getDefaultMessage())));
		parts.sort(null);
		Set<String> fields = new LinkedHashSet<>();
		errors.forEach(e -> fields.add(e.get("field")));
		boolean oneField = fields.size() == 1 && ex.getBindingResult().getGlobalErrors().isEmpty();
		ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Invalid request", String.join("; ", parts),
				oneField ? fields.iterator().next() : null);
		body.setProperty("errors", errors);
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<String> parts = new ArrayList<>();
		Set<String> fields = new LinkedHashSet<>();
		for (ParameterValidationResult r : ex.getParameterValidationResults()) {
			String name = parameterName(r.getMethodParameter());
			fields.add(name);
			for (MessageSourceResolvable e : r.getResolvableErrors()) {
				parts.add(name + ": " + e.getDefaultMessage());
			}
		}
		ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Invalid request", String.join("; ", parts),
				(fields.size() == 1) ? fields.iterator().next() : null);
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	/** A query parameter, path variable or header that does not convert: {@code limit=abc}. */
	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException m) ? parameterName(m.getParameter())
				: String.valueOf(ex.getPropertyName());
		ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Invalid request",
				name + ": '" + ex.getValue() + "' is not " + describe(ex.getRequiredType()), name);
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	/** The name a client uses for a parameter: the request parameter's, header's or path variable's. */
	private static String parameterName(MethodParameter p) {
		RequestParam param = p.getParameterAnnotation(RequestParam.class);
		RequestHeader header = p.getParameterAnnotation(RequestHeader.class);
		PathVariable path = p.getParameterAnnotation(PathVariable.class);
		String name = (param != null) ? firstNonEmpty(param.name(), param.value())
				: (header != null) ? firstNonEmpty(header.name(), header.value())
						: (path != null) ? firstNonEmpty(path.name(), path.value()) : "";
		return name.isEmpty() ? String.valueOf(p.getParameterName()) : name;
	}

	private static String firstNonEmpty(String a, String b) {
		return a.isEmpty() ? b : a;
	}

	private static String describe(@Nullable Class<?> type) {
		if (type == null) {
			return "of the right type";
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "a whole number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class) {
			return "a string";
		}
		if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "an object";
		}
		if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		return "a valid " + type.getSimpleName();
	}

	static ProblemDetail problem(HttpStatus status, String title, @Nullable String detail, @Nullable String field) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
		p.setTitle(title);
		if (field != null) {
			p.setProperty("field", field);
		}
		return p;
	}

	private static String path(JacksonException ex) {
		StringBuilder sb = new StringBuilder();
		for (JacksonException.Reference r : ex.getPath()) {
			if (r.getPropertyName() != null) {
				if (!sb.isEmpty()) {
					sb.append('.');
				}
				sb.append(r.getPropertyName());
			}
			else if (r.getIndex() >= 0) {
				sb.append('[').append(r.getIndex()).append(']');
			}
		}
		return sb.toString();
	}

	private static String join(java.util.Collection<Object> ids) {
		return String.join(", ", ids.stream().map(String::valueOf).sorted().toList());
	}

	private static String firstLine(@Nullable String s) {
		if (s == null) {
			return "";
		}
		int nl = s.indexOf('\n');
		return (nl >= 0) ? s.substring(0, nl) : s;
	}

	private static <T extends Throwable> @Nullable T find(Throwable ex, Class<T> type) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return null;
	}
}
