package dev.stagecraft.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc/<pid>/stat} says about a process: its state letter, its session and its start time (field
 * 22, clock ticks since boot). The start time tells a process from a later one that was given the same pid: the
 * pid alone is never trusted.
 */
record ProcStat(char state, long session, long startTicks) {

    /** A zombie has ended; only its exit status waits to be collected. */
    boolean ended() {
        return state == 'Z' || state == 'X';
    }

    static Optional<ProcStat> of(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // Gone between listing and reading (ESRCH) reads as an IOException too.
            return Optional.empty();
        }
    }

    /**
     * The command name (field 2) is in parentheses and may itself hold spaces and parentheses, so fields are
     * counted from the last ')'.
     */
    static ProcStat parse(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        return new ProcStat(f[0].charAt(0), Long.parseLong(f[6 - 3]), Long.parseLong(f[22 - 3]));
    }
}
