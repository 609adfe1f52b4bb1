package dev.stagecraft.agent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the command under {@code setsid} (util-linux): the instance leads a session and process group of its own,
 * so signals to the agent's group (Ctrl-C, a service manager stopping the agent) do not reach it; its stdin is
 * /dev/null and its output goes to a file, so no pipe ties it to the agent. When the agent dies, even by SIGKILL,
 * the instance is reparented and keeps running.
 *
 * <p>{@code setsid} forks only when its caller already leads a process group; a JVM's child does not, so
 * {@code setsid} calls setsid(2) and execs the command in place, and {@link Process#pid()} is the instance's own pid.
 * That is checked: the new process must lead its own session.
 */
final class DetachedProcessLauncher implements ProcessLauncher {

    private static final File DEV_NULL = new File("/dev/null");

    @Override
    public Launched launch(List<String> command, Map<String, String> environment, Path log) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        long pid = process.pid();
        // setsid may not have run yet; the session changes within microseconds of the fork.
        for (int attempt = 0; attempt < 200; attempt++) {
            Optional<ProcStat> stat = ProcStat.of(pid);
            if (stat.isEmpty() || stat.get().ended()) {
                return new Launched(pid, stat.map(ProcStat::startTicks).orElse(0L), Optional.of(process));
            }
            if (stat.get().session() == pid) {
                return new Launched(pid, stat.get().startTicks(), Optional.of(process));
            }
            sleepBriefly();
        }
        process.destroyForcibly();
        throw new IOException("process " + pid + " did not become a session leader under setsid");
    }

    private static void sleepBriefly() throws IOException {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while launching", e);
        }
    }
}
