package dev.stagecraft.health.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real sample-app ({@code ../sample-app/target/sample-app.jar}) as a child process on a free loopback
 * port, ready when started. Closed by the test; destroyed on JVM exit whatever happens to the test.
 */
public final class SampleApp implements AutoCloseable {
    private static final Path JAR = Path.of("..", "sample-app", "target", "sample-app.jar").toAbsolutePath().normalize();
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

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
        long giveUpAt = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < giveUpAt) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sample-app " + name + " exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address()
                        + "/health/ready")).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            ChildProcesses.pause(Duration.ofMillis(100));
        }
        close();
        throw new IllegalStateException("sample-app " + name + " was not ready within " + READY_WITHIN);
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

    /** The processes tests started, destroyed on JVM exit if a test did not stop them. */
    static final class ChildProcesses {
        private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                    "stop-test-processes"));
        }

        static Process track(Process process) {
            RUNNING.add(process);
            return process;
        }

        static void stop(Process process) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            RUNNING.remove(process);
        }

        static void pause(Duration pause) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private ChildProcesses() {
        }
    }
}
