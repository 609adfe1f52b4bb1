package dev.stagecraft.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The processes of the platform's Kafka broker and PostgreSQL server, so that a test can freeze them with SIGSTOP as a
 * stalled VM or a full disk would. Only for servers dev-infra started as processes on this machine (not containers,
 * not servers that run elsewhere): the broker is this JVM's child whose command line names its stagecraft-kafka work
 * directory; PostgreSQL is the postmaster listening on the database's port (it daemonises, so it is found by its
 * command line), together with its backends, each of which serves one connection on its own.
 */
final class InfraProcesses {
    private InfraProcesses() {
    }

    static List<ProcessHandle> broker() {
        List<ProcessHandle> found = ProcessHandle.current().descendants()
                .filter(p -> commandLine(p).contains("/stagecraft-kafka-")).toList();
        return requireOne(found, "Kafka broker (a child of this JVM)");
    }

    /** The postmaster of the server on {@code port}, then every backend it runs now. */
    static List<ProcessHandle> database(int port) {
        List<ProcessHandle> postmasters = ProcessHandle.allProcesses()
                .filter(p -> isPostmaster(commandLine(p), port)).toList();
        ProcessHandle postmaster = requireOne(postmasters, "PostgreSQL on port " + port).get(0);
        List<ProcessHandle> all = new ArrayList<>();
        all.add(postmaster);
        postmaster.descendants().forEach(all::add);
        return all;
    }

    /**
     * SIGSTOP (frozen = true) or SIGCONT of each process, the first one first (SIGCONT: last one first). A backend
     * that ended meanwhile (its connection closed) is no failure.
     */
    static void freeze(List<ProcessHandle> processes, boolean frozen) throws Exception {
        List<ProcessHandle> order = new ArrayList<>(processes);
        if (!frozen) {
            Collections.reverse(order);
        }
        for (ProcessHandle process : order) {
            Process kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (kill.waitFor() != 0 && process.isAlive()) {
                throw new IllegalStateException("kill " + (frozen ? "-STOP " : "-CONT ") + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        }
    }

    static boolean isPostmaster(String commandLine, int port) {
        List<String> words = List.of(commandLine.split(" "));
        int p = words.indexOf("-p");
        return words.size() > 0 && words.get(0).endsWith("/bin/postgres") && p >= 0 && p + 1 < words.size()
                && words.get(p + 1).equals(Integer.toString(port));
    }

    private static List<ProcessHandle> requireOne(List<ProcessHandle> found, String what) {
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + what + ", found " + found.size()
                    + ": this test freezes servers dev-infra runs as processes here");
        }
        return found;
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }
}
