package dev.stagecraft.router;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -cp host-agent.jar dev.stagecraft.router.RouterMain}, configured by environment variables
 * ({@link RouterProcessConfig}): a host agent starts one per fleet router, detached, and adopts it after its own
 * restart. SIGTERM stops it; nothing else does, so it keeps routing while the control plane and the agent are away.
 */
public final class RouterMain {
    private RouterMain() {
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    public static void main(String[] args) throws Exception {
        // Vert.x's and Netty's checks meant for development, off unless set: every request pays for them otherwise
        // (the settings high-throughput Vert.x servers run with).
        defaultProperty("vertx.threadChecks", "false");
        defaultProperty("vertx.disableContextTimings", "true");
        defaultProperty("vertx.disableTCCL", "true");
        defaultProperty("io.netty.leakDetection.level", "disabled");
        RouterProcessConfig config;
        try {
            config = RouterProcessConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("router: " + e.getMessage());
            System.exit(2);
            return;
        }
        RouterProcess router = RouterProcess.start(config);
        System.err.printf("router of %s listens on %s, admin on 127.0.0.1:%d, table in %s%n", config.fleet(),
                router.url(), router.adminPort(), config.routesFile());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                router.close();
            } catch (Exception e) {
                System.err.println("router: " + e.getMessage());
            }
            stopped.countDown();
        }, "router-shutdown"));
        stopped.await();
    }
}
