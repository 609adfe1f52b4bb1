package dev.stagecraft.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The instance records on this host's disk, one {@code <id>.json} each under {@code <state-dir>/instances}, written
 * as {@link DurableJsonFiles} writes: after a crash or power loss each record is either the old or the new one.
 */
final class HandleStore implements InstanceRecords {

    /** Ids come from Kafka and become file names: nothing that could climb out of the directory. */
    static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final DurableJsonFiles<InstanceHandle> files;

    HandleStore(Path stateDir) {
        this.files = new DurableJsonFiles<>(stateDir.resolve("instances"), InstanceHandle.class);
    }

    static boolean isValidId(String id) {
        return id != null && VALID_ID.matcher(id).matches();
    }

    @Override
    public void save(InstanceHandle handle) {
        files.save(handle.instanceId(), handle);
    }

    @Override
    public void delete(String instanceId) {
        files.delete(instanceId);
    }

    /** Every readable record. An unreadable one is set aside as {@code .unreadable} and logged, never guessed at. */
    @Override
    public List<InstanceHandle> loadAll() {
        return files.loadAll();
    }

    Path file(String instanceId) {
        return files.file(instanceId);
    }
}
