package dev.stagecraft.inventory.router;

import dev.stagecraft.router.RouterException;
import dev.stagecraft.router.haproxy.HaproxyProcesses;

import dev.stagecraft.router.FleetKey;

import dev.stagecraft.router.Backend;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.DebianPackages;
import dev.stagecraft.devinfra.LoadLoop;

/**
 * The haproxy router against a real HAProxy and real HTTP servers on 127.0.0.1: shares that follow the
 * weights, weight 0 meaning no request at all, weights read back from HAProxy itself (a change made behind
 * the router's back shows), fleets opened later (a reload) leaving the others' weights as they were, drains
 * that wait for requests in flight (in an old worker too), and no HAProxy process left afterwards.
 */
class HaproxyRouterTest extends RouterContractTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Path WORK_DIR = Path.of("target/test-haproxy");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** Every HAProxy process seen during the tests: none may be alive at the end. */
    private static final Set<ProcessHandle> seen = new CopyOnWriteArraySet<>();

    static Path binary;
    static HaproxyRouter router;

    @Override
    TrafficRouter router() {
        return router;
    }

    @Override
    String name() {
        return "haproxy router";
    }

    @BeforeAll
    static void start() {
        binary = DebianPackages.ensure("haproxy");
        router = newRouter(OptionalInt.empty());
        a = TestBackend.start("a");
        b = TestBackend.start("b");
    }

    @AfterAll
    static void stop() {
        seen.addAll(router.processTree());
        HaproxyRunDir runDir = router.runDir();
        router.close();
        a.close();
        b.close();
        assertTrue(seen.size() >= 2, "saw a master and a worker at least: " + seen);
        assertEquals(List.of(), seen.stream().filter(ProcessHandle::isAlive).toList(), "HAProxy processes left");
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(p -> p.info().command()
                .map(c -> c.contains("haproxy")).orElse(false)).toList(), "HAProxy processes left under this JVM");
        assertFalse(runDir.exists(), "the run directory and the socket directory are removed");
    }

    private static HaproxyRouter newRouter(OptionalInt basePort) {
        return new HaproxyRouter(new HaproxyRouter.Settings(binary, WORK_DIR, 8, basePort, Duration.ofSeconds(1),
                REQUEST_TIMEOUT));
    }

    @Test
    void weightsAreReadBackFromHaproxyItself() throws Exception {
        FleetKey fleet = newFleet();
        assertEquals(Map.of(), router.appliedWeights(fleet));
        assertFalse(router.routerUrl(fleet).isPresent());
        String url = router.open(fleet);
        assertThat(url, org.hamcrest.Matchers.matchesPattern("http://127\\.0\\.0\\.1:\\d+"));
        assertEquals(url, router.open(fleet));

        router.update(fleet, Map.of("a", new Backend(a.address(), 100), "b", new Backend(b.address(), 0)));
        assertEquals(Map.of("a", 100, "b", 0), router.appliedWeights(fleet));
        router.update(fleet, Map.of("b", new Backend(b.address(), 37)));
        assertEquals(Map.of("a", 100, "b", 37), router.appliedWeights(fleet), "others keep their weights");

        // changed in HAProxy behind the router's back: what is read is HAProxy's, not the router's memory
        String serverA = router.serverOf(fleet, "a").orElseThrow();
        String serverB = router.serverOf(fleet, "b").orElseThrow();
        router.statsSocket().set("set server " + serverB + " weight 7");
        assertEquals(Map.of("a", 100, "b", 7), router.appliedWeights(fleet));
        router.statsSocket().set("set server " + serverB + " state drain");
        assertEquals(Map.of("a", 100, "b", 0), router.appliedWeights(fleet), "a draining server takes no new request");
        router.statsSocket().set("set server " + serverB + " state maint");
        assertEquals(Map.of("a", 100), router.appliedWeights(fleet), "a slot in maintenance is absent");
        router.statsSocket().set("set server " + serverA + " addr 127.0.0.1 port " + new Backend(b.address(), 0).port());
        assertEquals(Map.of(), router.appliedWeights(fleet), "a slot that points elsewhere is not the instance's");
        router.update(fleet, Map.of("a", new Backend(a.address(), 100), "b", new Backend(b.address(), 37)));
        assertEquals(Map.of("a", 100, "b", 37), router.appliedWeights(fleet), "set again, as asked");

        router.remove(fleet, List.of("a", "unknown"));
        assertEquals(Map.of("b", 37), router.appliedWeights(fleet));
        assertEquals(url, router.routerUrl(fleet).orElseThrow());
        assertEquals("b", get(url + "/").headers().firstValue("X-Stagecraft-Instance").orElse(""));

        router.removeFleet(fleet);
        assertFalse(router.routerUrl(fleet).isPresent());
        assertEquals(Map.of(), router.appliedWeights(fleet));
        // a new connection: the old worker answers a kept-alive one once more (Connection: close) as it leaves
        HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThrows(ConnectException.class, () -> fresh.send(HttpRequest.newBuilder(URI.create(url + "/")).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aFleetOpenedLaterLeavesTheOthersAsTheyWere() {
        FleetKey first = newFleet();
        router.update(first, Map.of("a", new Backend(a.address(), 75), "b", new Backend(b.address(), 25)));
        String url = router.open(first);
        HaproxyProcesses before = router.processes();

        // two reloads under load on the first fleet
        LoadLoop.Result duringReloads;
        try (LoadLoop loop = LoadLoop.start(url, 4, 100_000, LOOP_LIMIT)) {
            waitForRequests(loop, 200);
            router.open(newFleet());
            router.update(newFleet(), Map.of("a", new Backend(a.address(), 100)));
            waitForRequests(loop, loop.sent() + 200);
            duringReloads = loop.stop();
        }
        HaproxyProcesses after = router.processes();
        seen.addAll(router.processTree());
        assertEquals(before.master(), after.master(), "the same master");
        assertEquals(before.reloads() + 2, after.reloads(), "reloaded twice");
        assertNotEquals(before.workers(), after.workers(), "by a new worker");
        assertEquals(Map.of("a", 75, "b", 25), router.appliedWeights(first), "weights kept through the reloads");
        assertEquals(url, router.routerUrl(first).orElseThrow(), "and the entry point");
        System.out.printf("haproxy router: %d requests across 2 reloads, %d failed%n", duringReloads.requests(),
                duringReloads.failed());
        assertEquals(0, duringReloads.failed(), duringReloads.failures().toString());

        LoadLoop.Result result = LoadLoop.run(url, 4, REQUESTS, LOOP_LIMIT);
        assertEquals(0, result.failed(), result.failures().toString());
        double share = result.percent("b");
        System.out.printf("haproxy router: after the reloads, weight 25 -> %.1f%% of %d%n", share, REQUESTS);
        assertTrue(Math.abs(share - 25) <= 4, "weight 25 got " + share + "%");
    }

    @Test
    void aDrainWaitsForTheRequestsInFlight() throws Exception {
        FleetKey fleet = newFleet();
        router.update(fleet, Map.of("a", new Backend(a.address(), 100)));
        CompletableFuture<HttpResponse<String>> inFlight = slow(router.open(fleet), 800);
        awaitBusy(fleet, "a");

        long drainStarted = System.nanoTime();
        router.update(fleet, Map.of("a", new Backend(a.address(), 0)));
        assertEquals(Map.of("a", 0), router.appliedWeights(fleet));
        assertEquals(Set.of(), router.awaitIdle(fleet, List.of("a"), Duration.ofSeconds(5)));
        long drainMillis = (System.nanoTime() - drainStarted) / 1_000_000;
        System.out.printf("haproxy router: the drain waited %d ms for a request of 800 ms%n", drainMillis);

        assertTrue(drainMillis > 400, "the drain ended after " + drainMillis + " ms, before its request did");
        assertEquals(200, inFlight.get(5, TimeUnit.SECONDS).statusCode());
        // and a drain that runs out of time says who is still busy
        router.update(fleet, Map.of("a", new Backend(a.address(), 100)));
        CompletableFuture<HttpResponse<String>> slow = slow(router.open(fleet), 600);
        awaitBusy(fleet, "a");
        router.update(fleet, Map.of("a", new Backend(a.address(), 0)));
        assertEquals(Set.of("a"), router.awaitIdle(fleet, List.of("a"), Duration.ofMillis(50)));
        assertEquals(200, slow.get(5, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void aDrainWaitsForRequestsThatAnOldWorkerStillAnswers() throws Exception {
        FleetKey fleet = newFleet();
        router.update(fleet, Map.of("a", new Backend(a.address(), 100)));
        long requestStarted = System.nanoTime();
        CompletableFuture<HttpResponse<String>> inFlight = slow(router.open(fleet), 1_200);
        awaitBusy(fleet, "a");

        router.open(newFleet()); // a reload: the request stays with the old worker
        seen.addAll(router.processTree());
        assertFalse(router.processes().oldWorkers().isEmpty(), "an old worker finishes the request");
        router.update(fleet, Map.of("a", new Backend(a.address(), 0)));
        assertEquals(Set.of(), router.awaitIdle(fleet, List.of("a"), Duration.ofSeconds(5)));
        long idleAfter = (System.nanoTime() - requestStarted) / 1_000_000;
        System.out.printf("haproxy router: across a reload, the drain ended %d ms after a request of 1200 ms began%n",
                idleAfter);

        assertTrue(idleAfter >= 1_100, "the drain ended " + idleAfter + " ms after the request began, before it ended");
        assertEquals(200, inFlight.get(5, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void aRefusedConnectionIsRetriedOnAnotherInstance() {
        FleetKey fleet = newFleet();
        router.update(fleet, Map.of("a", new Backend(a.address(), 50),
                "dead", new Backend(TestBackend.refusingAddress(), 50)));

        LoadLoop.Result result = LoadLoop.run(router.open(fleet), 4, 500, LOOP_LIMIT);

        assertEquals(0, result.failed(), result.failures().toString());
        assertEquals(Map.of("a", 500), result.byInstance());
    }

    @Test
    void whenNoInstanceCanTakeTheRequestTheAnswerIsAProblem() throws Exception {
        FleetKey fleet = newFleet();
        String url = router.open(fleet);
        HttpResponse<String> empty = get(url + "/");
        assertEquals(503, empty.statusCode());
        assertEquals("application/problem+json", empty.headers().firstValue("content-type").orElse(""));
        assertEquals("1", empty.headers().firstValue("retry-after").orElse(""));
        assertThat(empty.body(), containsString("\"status\":503"));
        assertThat(empty.body(), containsString("no instance of " + fleet.service() + " in test is in service"));

        router.update(fleet, Map.of("a", new Backend(a.address(), 0), "b", new Backend(b.address(), 0)));
        assertEquals(503, get(url + "/").statusCode());

        assertThat(get(url + "/").body(), containsString("is in service"));

        // one refuses, and there is no other: HAProxy's status for it is 503 (the embedded router's 502)
        router.update(fleet, Map.of("dead", new Backend(TestBackend.refusingAddress(), 100)));
        HttpResponse<String> refused = get(url + "/");
        assertEquals(503, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("content-type").orElse(""));
        assertThat(refused.body(), containsString("no instance of " + fleet.service() + " in test accepted the connection"));
    }

    @Test
    void requestsAndAnswersAreForwardedWhole() throws Exception {
        FleetKey fleet = newFleet();
        router.update(fleet, Map.of("a", new Backend(a.address(), 100)));
        String url = router.open(fleet);

        HttpResponse<String> echoed = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/echo?x=1&y=two%20words"))
                .header("X-Custom", "kept").POST(HttpRequest.BodyPublishers.ofString("hello body"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, echoed.statusCode());
        assertThat(echoed.body(), containsString("POST /echo?x=1&y=two%20words "));
        assertThat(echoed.body(), containsString("x-custom=kept"));
        assertThat(echoed.body(), containsString("x-forwarded-for=127.0.0.1"));
        assertThat(echoed.body(), containsString("x-forwarded-proto=http"));
        assertThat(echoed.body(), containsString("body=hello body"));
        assertEquals("a", echoed.headers().firstValue("X-Stagecraft-Instance").orElse(""));
        assertEquals("a", echoed.headers().firstValue("X-Backend").orElse(""), "the instance's own headers pass");
        assertEquals(418, get(url + "/status/418").statusCode());
    }

    @Test
    void aFleetOutgrowsItsSlotsWithAHitlessReloadBlueAndGreenTogether() throws Exception {
        FleetKey fleet = newFleet();
        // blue fills the 8 slots the router starts with
        Map<String, Backend> blue = new java.util.TreeMap<>();
        for (int i = 0; i < 8; i++) {
            blue.put("blue-" + i, new Backend(a.address(), 100));
        }
        router.update(fleet, blue);
        String url = router.open(fleet);
        // green, 12 more at weight 0, while requests go through: the router grows (8 → 20 slots) and reloads
        Map<String, Backend> green = new java.util.TreeMap<>();
        for (int i = 0; i < 12; i++) {
            green.put("green-" + i, new Backend(b.address(), 0));
        }
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean going = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread load = new Thread(() -> {
            while (going.get()) {
                sent.incrementAndGet();
                try {
                    if (get(url + "/").statusCode() != 200) {
                        failed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }
        });
        load.start();
        try {
            router.update(fleet, green);
            Map<String, Integer> applied = router.appliedWeights(fleet);
            assertEquals(20, applied.size(), applied.toString());
            assertEquals(100, applied.get("blue-7"));
            assertEquals(0, applied.get("green-11"));
            // the switch: green up, blue down, in one update
            Map<String, Backend> switched = new java.util.TreeMap<>();
            blue.keySet().forEach(id -> switched.put(id, new Backend(a.address(), 0)));
            green.keySet().forEach(id -> switched.put(id, new Backend(b.address(), 100)));
            router.update(fleet, switched);
            assertEquals(100, router.appliedWeights(fleet).get("green-0"));
            assertEquals(0, router.appliedWeights(fleet).get("blue-0"));
            Thread.sleep(300);
        } finally {
            going.set(false);
            load.join(10_000);
        }
        System.out.printf("haproxy fleet grown from 8 to 20 slots under load: %d requests, %d failed%n", sent.get(),
                failed.get());
        assertTrue(sent.get() > 10, "requests went through meanwhile: " + sent.get());
        assertEquals(0, failed.get(), "the reload that grew the fleet is hitless");
        assertEquals("b", get(url + "/").headers().firstValue("X-Backend").orElse(""));
        // and a freed slot is reused without growing again
        router.remove(fleet, List.of("blue-3"));
        router.update(fleet, Map.of("late-1", new Backend(b.address(), 1)));
        assertEquals(20, router.appliedWeights(fleet).size());
    }

    @Test
    void anHaproxyThatDiedIsStartedAgainFromTheRoutersMemory() throws Exception {
        HaproxyRouter own = newRouter(OptionalInt.empty());
        try {
            FleetKey fleet = newFleet();
            own.update(fleet, Map.of("a", new Backend(a.address(), 100), "b", new Backend(b.address(), 0)));
            String url = own.open(fleet);
            ProcessHandle master = ProcessHandle.of(own.processes().master()).orElseThrow();
            seen.addAll(own.processTree());
            master.destroyForcibly();
            master.onExit().get(5, TimeUnit.SECONDS);

            assertEquals(Map.of("a", 100, "b", 0), own.appliedWeights(fleet), "started again, weights as they were");
            seen.addAll(own.processTree());
            assertEquals(url, own.routerUrl(fleet).orElseThrow());
            assertEquals("a", get(url + "/").headers().firstValue("X-Stagecraft-Instance").orElse(""));
        } finally {
            seen.addAll(own.processTree());
            own.close();
        }
    }

    @Test
    void withABasePortFleetsTakeTheNextPortsInTurn() {
        int base;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            base = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HaproxyRouter numbered = newRouter(OptionalInt.of(base));
        try {
            assertEquals("http://127.0.0.1:" + base, numbered.open(newFleet()));
            assertEquals("http://127.0.0.1:" + (base + 1), numbered.open(newFleet()));
        } catch (RouterException e) {
            // another process took one of the two ports between the probe and the bind: nothing to judge
            System.out.println("base-port test skipped: " + e.getMessage());
        } finally {
            seen.addAll(numbered.processTree());
            numbered.close();
        }
    }

    /** CI checks out deep (/check/work/main/e2e-tests/target/…): a socket path there is too long for HAProxy. */
    @Test
    void aDeepWorkDirStillStartsBecauseTheSocketsLiveApart() throws Exception {
        Path deep = WORK_DIR.toAbsolutePath().resolve("a-work-dir-as-deep-as-a-ci-checkout-makes-it/"
                + "e2e-tests/target/e2e-work-blue-green/haproxy");
        HaproxyRouter deepRouter = new HaproxyRouter(new HaproxyRouter.Settings(binary, deep, 8, OptionalInt.empty(),
                Duration.ofSeconds(1), REQUEST_TIMEOUT));
        HaproxyRunDir dirs = deepRouter.runDir();
        try {
            assertTrue(dirs.files().startsWith(deep), dirs.toString());
            assertThat(dirs.masterSocket().toString().length(), lessThanOrEqualTo(HaproxyRunDir.MAX_SOCKET_PATH));
            FleetKey fleet = newFleet();
            String url = deepRouter.open(fleet);
            deepRouter.update(fleet, Map.of("a", new Backend(a.address(), 100)));
            assertEquals(Map.of("a", 100), deepRouter.appliedWeights(fleet));
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(url + "/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            seen.addAll(deepRouter.processTree());
            deepRouter.close();
        }
        assertFalse(dirs.exists(), "both directories are removed");
    }

    @Test
    void aSocketDirTooDeepForHaproxyIsRefusedSayingWhatToSet() {
        Path deepTmp = WORK_DIR.toAbsolutePath().resolve("x".repeat(100));
        IllegalStateException tooLong = assertThrows(IllegalStateException.class,
                () -> HaproxyRunDir.create(WORK_DIR, deepTmp));
        assertThat(tooLong.getMessage(), containsString("at most 97 characters"));
        assertThat(tooLong.getMessage(), containsString("java.io.tmpdir"));
        try (var left = Files.list(deepTmp)) {
            assertEquals(List.of(), left.toList(), "nothing is left half-made");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withoutHaproxyTheRouterFailsAtStartUpSayingWhatToDo() {
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> new HaproxyRouter(
                new HaproxyRouter.Settings(Path.of("/nonexistent/haproxy"), WORK_DIR, 8, OptionalInt.empty(),
                        Duration.ofSeconds(1), REQUEST_TIMEOUT)));
        assertThat(missing.getMessage(), containsString("no HAProxy at /nonexistent/haproxy"));
        assertThat(missing.getMessage(), containsString("install-debian-packages haproxy"));
        assertThat(missing.getMessage(), containsString("stagecraft.router.haproxy.binary"));
    }

    private void awaitBusy(FleetKey fleet, String id) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (router.awaitIdle(fleet, List.of(id), Duration.ZERO).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(Set.of(id), router.awaitIdle(fleet, List.of(id), Duration.ZERO), "the request is in flight");
    }

    private static void waitForRequests(LoadLoop loop, int count) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (loop.sent() < count && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static CompletableFuture<HttpResponse<String>> slow(String url, int millis) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url + "/slow?ms=" + millis))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
