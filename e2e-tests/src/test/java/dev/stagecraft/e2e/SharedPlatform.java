package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One platform for every e2e class that needs only the platform's usual settings, started by the first of them
 * and stopped when the whole test run ends. Starting Kafka, PostgreSQL and four services costs about a minute on
 * two cores, so each class that shares it saves that minute; classes that need other settings (the HAProxy router,
 * a platform of their own to kill whole) start their own.
 * <p>
 * A class takes it as a parameter of its {@code @BeforeAll}: {@code static void start(Platform platform)}, with
 * {@code @ExtendWith(SharedPlatform.class)}. Classes that share it use service names of their own, so that their
 * fleets, releases and deployments never meet.
 */
final class SharedPlatform implements ParameterResolver {
    /** Shorter probe deadlines than production's (a failing release is judged in seconds), and what the Prometheus
     * stack beside the platform needs of it. */
    static final Map<String, String> SETTINGS = settings();
    /**
     * Host agents run its instances and fleet routers (the agent driver), on 127.0.0.2 … 127.0.0.4, as deploy/local/up
     * with {@code STAGECRAFT_HOSTS=3}; {@code -Dstagecraft.e2e.hosts=0} runs it on the local-process driver instead.
     */
    static final int HOSTS = Integer.getInteger("stagecraft.e2e.hosts", 3);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPlatform.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Platform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // the root context's store lives as long as the test run and closes what it holds at its end
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> Running.start(),
                Running.class).platform;
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("STAGECRAFT_PROBES_DEADLINE", "8s"));
        settings.putAll(PrometheusStack.platformSettings());
        return Map.copyOf(settings);
    }

    /**
     * The real Prometheus and Alertmanager that run beside the shared platform from its start (so that they scrape
     * everything the classes before yours did), or why there are none: Debian's packages cannot be had here.
     */
    static PrometheusStack prometheus() {
        Running running = Running.current;
        if (running == null) {
            throw new IllegalStateException("the shared platform has not started: take it as a @BeforeAll parameter");
        }
        if (running.prometheusFailure != null) {
            throw new IllegalStateException("Prometheus did not start beside the shared platform", running.prometheusFailure);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(running.prometheus != null, running.noPrometheus);
        return running.prometheus;
    }

    /** How long the shared platform took to start, for the figures; 0 before it started. */
    static double startSeconds() {
        return Running.startSeconds;
    }

    /** The running platform, held in the root store: closing it stops it and checks that no instance is left. */
    static final class Running implements AutoCloseable {
        private static volatile double startSeconds;
        private static volatile Running current;
        final Platform platform;
        private PrometheusStack prometheus;
        private String noPrometheus;
        private Exception prometheusFailure;

        private Running(Platform platform) {
            this.platform = platform;
        }

        static Running start() {
            long t0 = System.nanoTime();
            try {
                // the agents run a fleet's router as HAProxy where it is installed: the router users get by default
                dev.stagecraft.devinfra.DebianPackages.ensure("haproxy");
                Running running = new Running(Platform.start(SETTINGS, "e2e-work", HOSTS));
                startSeconds = (System.nanoTime() - t0) / 1e9;
                running.startPrometheus();
                current = running;
                return running;
            } catch (Exception e) {
                throw new IllegalStateException("the shared platform did not start", e);
            }
        }

        private void startPrometheus() {
            noPrometheus = PrometheusStack.whyUnavailable();
            if (noPrometheus != null) {
                System.out.println("no Prometheus beside the shared platform: " + noPrometheus);
                return;
            }
            try {
                prometheus = PrometheusStack.start(platform);
            } catch (Exception e) {
                // the other classes need no Prometheus: only the ones that ask for it fail
                prometheusFailure = e;
            }
        }

        @Override
        public void close() {
            current = null;
            if (prometheus != null) {
                prometheus.close();
            }
            platform.close();
            Leftovers.assertNoInstanceProcesses(platform.workDir);
        }
    }
}
