package dev.stagecraft.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts an instance's process so that it outlives the agent. */
interface ProcessLauncher {

    /**
     * Starts {@code command} with exactly {@code environment}, its output appended to {@code log}.
     */
    Launched launch(List<String> command, Map<String, String> environment, Path log) throws IOException;

    /**
     * The new process: its pid and start time (see {@link ProcStat}; 0 if it ended before they could be read), and
     * the {@link Process} while this agent is its parent, which alone can tell its exit status.
     */
    record Launched(long pid, long startTicks, Optional<Process> child) {
    }
}
