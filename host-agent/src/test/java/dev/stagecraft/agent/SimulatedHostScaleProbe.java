package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.ReleaseSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one simulated host costs with N instances (heap, resident memory, file descriptors) and how fast all of them
 * answer a readiness probe over real HTTP. A measurement, not a test (its name keeps it out of {@code verify}):
 * {@code ./mvnw -B -o test -pl host-agent -Dtest=SimulatedHostScaleProbe -Dsimulated.instances=10000}.
 */
class SimulatedHostScaleProbe {
    @TempDir
    Path stateDir;

    @Test
    void measure() throws Exception {
        int n = Integer.getInteger("simulated.instances", 10_000);
        int inFlight = Integer.getInteger("simulated.inFlight", 256);
        AgentConfig config = AgentConfig.fromEnv(Map.of("STAGECRAFT_HOST_ID", "sim-9", "STAGECRAFT_HOST_ADDRESS",
                "127.0.0.9", "STAGECRAFT_AGENT_STATE_DIR", stateDir.toString()));
        System.gc();
        long heapBefore = usedHeap();
        long fdsBefore = fds();
        try (SimulatedHost host = SimulatedHost.start(config, new SimulationSettings(true, 0))) {
            InstanceRuntime runtime = host.runtime();
            List<InstanceHandle> handles = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                InstanceSpec spec = new InstanceSpec("i-" + i, "staging", new ReleaseSpec("shop", "1.0.0",
                        new ArtifactRef("file:///nowhere/app.jar", "ab"), Map.of("SAMPLE_LATENCY_MS", "0")), 1);
                handles.add(runtime.launch(runtime.plan(spec, Instant.now()), false, Instant.now()));
            }
            double launchMs = (System.nanoTime() - t0) / 1e6;
            System.gc();
            long heapAfter = usedHeap();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Semaphore slots = new Semaphore(inFlight);
            List<CompletableFuture<Integer>> probes = new ArrayList<>();
            long t1 = System.nanoTime();
            for (InstanceHandle h : handles) {
                slots.acquire();
                probes.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://" + h.address() + ":" + h.port()
                        + "/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode)
                        .whenComplete((s, e) -> slots.release()));
            }
            long ok = probes.stream().map(CompletableFuture::join).filter(s -> s == 200).count();
            double probeMs = (System.nanoTime() - t1) / 1e6;
            long fdsDuring = fds();
            System.out.printf("simulated host, %,d instances: launched in %.0f ms; heap +%.1f MiB (%.0f B each); "
                    + "RSS of this JVM %d MiB; fds %d -> %d; %,d readiness probes over HTTP (%d in flight) in %.0f ms "
                    + "(%.0f/s), %d answered 200%n", n, launchMs, (heapAfter - heapBefore) / 1048576.0,
                    (double) (heapAfter - heapBefore) / n, rssMiB(), fdsBefore, fdsDuring, n, inFlight, probeMs,
                    n / (probeMs / 1000), ok);
            assertEquals(n, ok);
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long fds() throws Exception {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return list.count();
        }
    }

    private static long rssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
