package dev.stagecraft.agent;

import java.util.List;

/** Where the supervisor keeps its instance records between its own restarts. */
interface InstanceRecords {
    void save(InstanceHandle handle);

    void delete(String instanceId);

    /** Every readable record, to adopt at start-up. */
    List<InstanceHandle> loadAll();
}
