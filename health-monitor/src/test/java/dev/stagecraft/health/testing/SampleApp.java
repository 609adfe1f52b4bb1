package dev.stagecraft.health.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real sample-app ({@code ../sample-app/target/sample-app.jar}) as a child process on a free loopback
 * port, ready when started. Closed by the test; destroyed on JVM exit whatever happens to the test.
 */
public final class SampleApp implements AutoCloseable {
    private static final Path JAR = Path.of("..", "sample-app", "target", "sample-app.jar").toAbsolutePath().normalize();
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private final String name;
    private final int port;
    private final Process process;

    private SampleApp(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /** Starts one instance with these extra environment variables (e.g. SAMPLE_ERROR_RATE) and waits until it is ready. */
    public static SampleApp start(String name, Map<String, String> env) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("the tests run " + JAR + "; build sample-app first");
        }
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString());
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("INSTANCE_ID", name);
        builder.redirectErrorStream(true).redirectOutput(logFile("sample-app-" + name).toFile());
        try {
            SampleApp app = new SampleApp(name, port, ChildProcesses.track(builder.start()));
            app.awaitReady();
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sample-app " + name, e);
        }
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public String url() {
        return "http://" + address() + "/";
    }

    public String name() {
        return name;
    }

    private void awaitReady() {
        ChildProcesses.awaitOk(process, "http://" + address() + "/health/ready", READY_WITHIN, "sample-app " + name);
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    /** A loopback port nobody listens on (until someone else takes it). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    static Path logFile(String name) {
        try {
            return Files.createDirectories(Path.of("target", "test-processes")).resolve(name + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
