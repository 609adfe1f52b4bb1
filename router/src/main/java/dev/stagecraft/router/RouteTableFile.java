package dev.stagecraft.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Where a router process keeps its table, so that it routes at its last weights from the moment it starts again
 * (after a crash and a restart by its agent, even while the control plane is away). Written to a temporary file,
 * forced, renamed over the old one: after a crash the file is the old table or the new one.
 */
public final class RouteTableFile {
    private final Path file;

    public RouteTableFile(Path file) {
        this.file = file;
    }

    /** The table last saved; empty if there is none. An unreadable file is an error, never guessed at. */
    public RouteTable load() {
        if (!Files.exists(file)) {
            return RouteTable.EMPTY;
        }
        try {
            return RouteTable.fromJson(new JsonObject(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException(file + " is not a route table: " + e.getMessage(), e);
        }
    }

    public void save(RouteTable table) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(table.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the route table to " + file, e);
        }
    }
}
