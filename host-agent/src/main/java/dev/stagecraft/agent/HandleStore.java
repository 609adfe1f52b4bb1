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
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance records on this host's disk, one {@code <id>.json} each under {@code <state-dir>/instances}. A
 * record is written to a temporary file, forced to disk, then renamed over the old one (and the directory
 * forced), so after a crash or power loss each record is either the old or the new one, never half of each.
 */
final class HandleStore {
    private static final Logger LOG = LoggerFactory.getLogger(HandleStore.class);

    /** Ids come from Kafka and become file names: nothing that could climb out of the directory. */
    static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Path dir;

    HandleStore(Path stateDir) {
        this.dir = stateDir.resolve("instances");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    static boolean isValidId(String id) {
        return id != null && VALID_ID.matcher(id).matches();
    }

    void save(InstanceHandle handle) {
        Path target = file(handle.instanceId());
        Path temp = dir.resolve(handle.instanceId() + ".json.tmp");
        try {
            byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(handle);
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
            throw new UncheckedIOException("cannot record instance " + handle.instanceId(), e);
        }
    }

    void delete(String instanceId) {
        try {
            Files.deleteIfExists(file(instanceId));
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the record of " + instanceId, e);
        }
    }

    /** Every readable record. An unreadable one is set aside as {@code .unreadable} and logged, never guessed at. */
    List<InstanceHandle> loadAll() {
        List<InstanceHandle> handles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                try {
                    handles.add(Json.MAPPER.readValue(file.toFile(), InstanceHandle.class));
                } catch (IOException e) {
                    LOG.error("instance record {} is unreadable, set aside: {}", file, e.getMessage());
                    Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return handles;
    }

    Path file(String instanceId) {
        return dir.resolve(instanceId + ".json");
    }

    /** A rename is durable only once the directory that holds the name is on disk too. */
    private void forceDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
