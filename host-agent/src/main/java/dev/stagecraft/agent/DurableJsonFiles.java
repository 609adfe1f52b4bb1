package dev.stagecraft.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records on this host's disk, one {@code <id>.json} each in one directory. A record is written to a temporary file,
 * forced to disk, then renamed over the old one (and the directory forced), so after a crash or power loss each
 * record is either the old or the new one, never half of each.
 */
final class DurableJsonFiles<T> {
    private static final Logger LOG = LoggerFactory.getLogger(DurableJsonFiles.class);

    private final Path dir;
    private final Class<T> type;

    DurableJsonFiles(Path dir, Class<T> type) {
        this.dir = dir;
        this.type = type;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    void save(String id, T record) {
        Path target = file(id);
        Path temp = dir.resolve(id + ".json.tmp");
        try {
            byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the state dir's file system cannot rename atomically: " + dir, e);
            }
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + id, e);
        }
    }

    void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the record of " + id, e);
        }
    }

    /** Every readable record. An unreadable one is set aside as {@code .unreadable} and logged, never guessed at. */
    List<T> loadAll() {
        List<T> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                try {
                    records.add(Json.MAPPER.readValue(file.toFile(), type));
                } catch (IOException e) {
                    LOG.error("record {} is unreadable, set aside: {}", file, e.getMessage());
                    Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return records;
    }

    Path file(String id) {
        return dir.resolve(id + ".json");
    }

    /** A rename is durable only once the directory that holds the name is on disk too. */
    private void forceDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
