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
    /** Shorter probe deadlines than production's, so that a failing release is judged in seconds. */
    static final Map<String, String> SETTINGS = Map.of("STAGECRAFT_PROBES_DEADLINE", "8s");
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

    /** How long the shared platform took to start, for the figures; 0 before it started. */
    static double startSeconds() {
        return Running.startSeconds;
    }

    /** The running platform, held in the root store: closing it stops it and checks that no instance is left. */
    static final class Running implements AutoCloseable {
        private static volatile double startSeconds;
        final Platform platform;

        private Running(Platform platform) {
            this.platform = platform;
        }

        static Running start() {
            long t0 = System.nanoTime();
            try {
                Running running = new Running(Platform.start(SETTINGS, "e2e-work", HOSTS));
                startSeconds = (System.nanoTime() - t0) / 1e9;
                return running;
            } catch (Exception e) {
                throw new IllegalStateException("the shared platform did not start", e);
            }
        }

        @Override
        public void close() {
            platform.close();
            Leftovers.assertNoInstanceProcesses(platform.workDir);
        }
    }
}
