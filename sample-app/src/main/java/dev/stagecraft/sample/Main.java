package dev.stagecraft.sample;

import java.io.IOException;
import java.time.Duration;

/** Entry point: reads the environment, applies start-up faults, serves until SIGTERM. */
public final class Main {

    static final int EXIT_CRASH = 1;
    static final int EXIT_BAD_CONFIG = 2;

    /** Long enough for a normal GET / to finish, short enough not to slow a rollback. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

    private Main() {
    }

    public static void main(String[] args) {
        SampleConfig config;
        try {
            config = SampleConfig.fromEnv(System.getenv());
        } catch (InvalidConfigException e) {
            System.err.println("sample-app: invalid configuration:");
            e.problems().forEach(problem -> System.err.println("  " + problem));
            System.exit(EXIT_BAD_CONFIG);
            return;
        }

        if (config.crashOnStart()) {
            // Before binding, so a deployer sees a dead process and never a half-started one.
            System.err.println("sample-app: crashing on start because SAMPLE_CRASH_ON_START=true");
            System.exit(EXIT_CRASH);
            return;
        }

        SampleServer server;
        try {
            server = SampleServer.start(config);
        } catch (IOException e) {
            System.err.println("sample-app: cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + e.getMessage());
            System.exit(EXIT_CRASH);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("sample-app: stopping");
            server.stop(SHUTDOWN_GRACE);
        }, "sample-shutdown"));
        System.out.println("sample-app " + config.version() + " listening on http://" + config.bindAddress() + ":" + server.port()
                + " as " + server.instanceId());
    }
}
