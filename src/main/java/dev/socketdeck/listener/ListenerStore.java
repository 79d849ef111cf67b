package dev.socketdeck.listener;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Saves the listeners created at run time, and whether each was running, to
 * {@code <dataDir>/listeners.json}, so they come back after a restart. A save writes a
 * temporary file, forces it to disk and renames it over the old one: a crash leaves either the
 * old file or the new one, never half of one.
 */
final class ListenerStore {

	private static final Logger log = LoggerFactory.getLogger(ListenerStore.class);

	private final Path file;

	private final JsonMapper json = JsonMapper.builder().build();

	ListenerStore(Path dataDir) {
		this.file = dataDir.resolve("listeners.json");
	}

	/** What was saved; empty when nothing was, or the file cannot be read (said in the log). */
	List<Saved> load() {
		if (!Files.exists(this.file)) {
			return List.of();
		}
		try {
			return List.of(this.json.readValue(this.file.toFile(), Saved[].class));
		}
		catch (RuntimeException ex) {
			log.error("Cannot read saved listeners from {}: {}; starting without them", this.file, ex.getMessage());
			return List.of();
		}
	}

	void save(List<Saved> listeners) {
		try {
			Files.createDirectories(this.file.getParent());
			Path tmp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
			byte[] bytes = this.json.writerWithDefaultPrettyPrinter().writeValueAsBytes(listeners);
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ch.write(java.nio.ByteBuffer.wrap(bytes));
				ch.force(true);
			}
			Files.move(tmp, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException | RuntimeException ex) {
			log.error("Cannot save listeners to {}: {}", this.file, ex.getMessage());
		}
	}

	/** One saved listener. */
	record Saved(ListenerSpec spec, boolean running) {
	}
}
