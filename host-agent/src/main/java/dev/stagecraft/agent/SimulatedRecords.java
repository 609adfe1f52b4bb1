package dev.stagecraft.agent;

import java.util.List;

/**
 * A simulated host's records: none on disk. A simulated instance lives in its agent's memory and ends with it, so
 * there is nothing to adopt after a restart (inventory-service's reconciler places the lost instances again, as for
 * any lost host), and ten thousand instances cost no file writes.
 */
final class SimulatedRecords implements InstanceRecords {
    @Override
    public void save(InstanceHandle handle) {
        // in memory only: the supervisor holds the handles
    }

    @Override
    public void delete(String instanceId) {
        // nothing was written
    }

    @Override
    public List<InstanceHandle> loadAll() {
        return List.of();
    }
}
