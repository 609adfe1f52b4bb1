package dev.stagecraft.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import dev.stagecraft.contracts.ProbeMeasurement;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The probe against real HTTP servers on loopback, with short deadlines. */
class HttpProbeTest {
    private static final Duration AT_MOST = Duration.ofSeconds(10);

    record Settings(String livenessPath, String readinessPath, Duration timeout, Duration interval, Duration deadline,
            int maxInFlight, int consecutiveSuccesses) implements ProbeConfig {
    }

    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void closeVertx() {
        VERTX.close().toCompletionStage().toCompletableFuture().join();
    }

    private static HttpProbe probe(int consecutiveSuccesses) {
        return new HttpProbe(new Settings("/health/live", "/health/ready", Duration.ofMillis(300),
                Duration.ofMillis(50), Duration.ofMillis(800), 256, consecutiveSuccesses), VERTX);
    }

    @Test
    void passesOnTheFirst2xx() {
        try (FakeInstance instance = FakeInstance.healthy()) {
            ProbeMeasurement m = probe(1).check("i-1", instance.address(), ProbeKind.READINESS).await().atMost(AT_MOST);
            assertTrue(m.ok());
            assertEquals(1, m.attempts());
            assertEquals(200, m.lastStatus());
            assertEquals("readiness", m.probe());
            assertNull(m.error());
        }
    }

    @Test
    void keepsTryingUntilTheInstanceIsReady() {
        try (FakeInstance instance = FakeInstance.healthy().readyAfter(3)) {
            ProbeMeasurement m = probe(1).check("i-1", instance.address(), ProbeKind.READINESS).await().atMost(AT_MOST);
            assertTrue(m.ok());
            assertEquals(4, m.attempts());
            assertEquals(1, instance.connections(), "every attempt of one probe on one kept-alive connection");
        }
    }

    /**
     * The JDK's client handed each answer to a new thread on a small machine (CompletableFuture's default executor):
     * 2,000 threads for a step of 1,000 instances. Probes now start threads only for the client's own event loops.
     */
    @Test
    void manyProbesStartNoThreadEach() {
        try (FakeInstance instance = FakeInstance.healthy()) {
            HttpProbe probe = probe(1);
            probe.check("i-0", instance.address(), ProbeKind.LIVENESS).await().atMost(AT_MOST);
            long before = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            java.util.List<Uni<ProbeMeasurement>> probes = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                probes.add(probe.check("i-" + i, instance.address(), i % 2 == 0 ? ProbeKind.LIVENESS : ProbeKind.READINESS));
            }
            java.util.List<ProbeMeasurement> done = Uni.join().all(probes).andFailFast().await().atMost(AT_MOST);
            long started = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
            assertTrue(done.stream().allMatch(ProbeMeasurement::ok), done.toString());
            assertTrue(started < 20, "200 probes started " + started + " threads");
        }
    }

    @Test
    void needsTheRequiredSuccessesInARow() {
        try (FakeInstance instance = FakeInstance.healthy()) {
            ProbeMeasurement m = probe(3).check("i-1", instance.address(), ProbeKind.LIVENESS).await().atMost(AT_MOST);
            assertTrue(m.ok());
            assertEquals(3, m.attempts());
        }
    }

    @Test
    void failsAtTheDeadlineWithTheLastAnswer() {
        try (FakeInstance instance = FakeInstance.notReady()) {
            ProbeMeasurement m = probe(1).check("i-1", instance.address(), ProbeKind.READINESS).await().atMost(AT_MOST);
            assertFalse(m.ok());
            assertEquals(503, m.lastStatus());
            assertEquals("HTTP 503", m.error());
            assertTrue(m.attempts() > 3, "attempts: " + m.attempts());
            assertEquals(instance.readyRequests(), m.attempts());
            assertTrue(m.elapsedMs() >= 700 && m.elapsedMs() < 2_000, "elapsed: " + m.elapsedMs());
        }
    }

    @Test
    void anInstanceNobodyListensOnFails() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            closedPort = socket.getLocalPort();
        }
        ProbeMeasurement m = probe(1).check("i-1", "127.0.0.1:" + closedPort, ProbeKind.LIVENESS).await().atMost(AT_MOST);
        assertFalse(m.ok());
        assertNull(m.lastStatus());
        assertTrue(m.error().startsWith("could not connect"), m.error());
    }

    @Test
    void aSlowAnswerCountsAsNoAnswer() {
        try (FakeInstance instance = FakeInstance.healthy().answerDelayMs(1_000)) {
            ProbeMeasurement m = probe(1).check("i-1", instance.address(), ProbeKind.LIVENESS).await().atMost(AT_MOST);
            assertFalse(m.ok());
            assertNull(m.lastStatus());
            assertTrue(m.error().startsWith("no answer within"), m.error());
            assertTrue(m.elapsedMs() < 2_000, "the last attempt ends within one timeout after the deadline: " + m.elapsedMs());
        }
    }

    @Test
    void anAddressThatIsNotHostAndPortFailsAtOnce() {
        ProbeMeasurement m = probe(1).check("i-1", "not an address", ProbeKind.LIVENESS).await().atMost(AT_MOST);
        assertFalse(m.ok());
        assertEquals(1, m.attempts());
        assertTrue(m.error().contains("is not host:port"), m.error());
    }
}
