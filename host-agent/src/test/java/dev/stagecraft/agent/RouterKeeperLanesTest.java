package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.RouteBackend;
import dev.stagecraft.contracts.RouterCommand;
import dev.stagecraft.contracts.RouterSpec;
import dev.stagecraft.contracts.RouterStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keeper's lanes, on an engine of the test's own whose table changes the test holds and releases: another fleet's
 * change is applied and confirmed while one fleet's is held, one fleet's changes are applied in the order asked, and a
 * failing change ends only itself. Latches, no timing asserts: a keeper that ran changes one at a time would fail here
 * by a timeout, not by a slow clock.
 */
class RouterKeeperLanesTest {
    private static final long WAIT_SECONDS = 30;
    private static final String KIND = "test";

    @TempDir
    Path stateDir;

    private final FakeEngine engine = new FakeEngine();
    private final Reports reports = new Reports();
    private RouterKeeper keeper;

    @BeforeEach
    void start() {
        AgentConfig config = AgentConfig.fromEnv(Map.of("STAGECRAFT_HOST_ID", "h", "STAGECRAFT_AGENT_STATE_DIR",
                stateDir.toString()));
        RouterSettings settings = new RouterSettings(List.of(), "", Duration.ofSeconds(10),
                new CrashLoopBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(10)), KIND,
                Path.of("/nonexistent/haproxy"));
        keeper = new RouterKeeper(config, settings, Map.of(KIND, engine), reports, RouterKeeper.PARALLEL_CHANGES);
        keeper.start();
    }

    @AfterEach
    void stop() {
        keeper.close();
    }

    @Test
    void anotherFleetsTableIsConfirmedWhileOneFleetsChangeIsHeld() throws Exception {
        CountDownLatch aStarted = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        engine.onPut("shop.staging", 1, router -> {
            aStarted.countDown();
            await(releaseA);
        });
        CompletableFuture<Void> a = keeper.apply(set("c-a", "shop", 1));
        assertTrue(aStarted.await(WAIT_SECONDS, TimeUnit.SECONDS), "fleet a's change started");

        keeper.apply(set("c-b", "cart", 1)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        RouterStatus b = reports.answer("c-b");
        assertEquals(InstanceStatus.RUNNING, b.state(), b.detail());
        assertEquals(1, b.generation(), "confirmed with the table it routes");
        assertFalse(a.isDone(), "fleet a's change is still held");
        assertEquals(null, reports.answerOrNull("c-a"), "and not confirmed before it is applied");

        releaseA.countDown();
        a.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(1, reports.answer("c-a").generation());
    }

    @Test
    void oneFleetsChangesAreAppliedInTheOrderAskedEvenWhileTheFirstIsHeld() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        engine.onPut("shop.staging", 1, router -> await(releaseFirst));
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int generation = 1; generation <= 5; generation++) {
            all.add(keeper.apply(set("c-" + generation, "shop", generation)));
        }
        assertFalse(all.get(4).isDone(), "the last waits behind the first");
        releaseFirst.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), engine.puts("shop.staging"));
        assertEquals(5, reports.answer("c-5").generation());
        assertEquals(List.of("c-1", "c-2", "c-3", "c-4", "c-5"), reports.commandsOf("shop.staging"),
                "confirmed in order");
    }

    @Test
    void aFailingChangeEndsOnlyItselfAndItsFleetsNextChangeIsApplied() throws Exception {
        engine.onPut("shop.staging", 2, router -> {
            throw new IllegalStateException("engine broke");
        });
        keeper.apply(set("c-1", "shop", 1)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        keeper.apply(set("c-2", "shop", 2)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        keeper.apply(set("c-3", "shop", 3)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        keeper.apply(set("c-x", "cart", 1)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(null, reports.answerOrNull("c-2"), "a change that threw is not confirmed");
        assertEquals(3, reports.answer("c-3").generation());
        assertEquals(1, reports.answer("c-x").generation());
    }

    /**
     * The heartbeat reports every router side by side with the lanes: a snapshot taken before a change must not go out
     * after that change's report, or inventory-service, which keeps the last report as the router's table, would see
     * the older table (an instance just enabled back at weight 0).
     */
    @Test
    void aHeartbeatTakenBeforeAChangeIsNeverReportedAfterIt() throws Exception {
        keeper.apply(set("c-1", "shop", 1)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        CountDownLatch heartbeatSending = new CountDownLatch(1);
        CountDownLatch releaseHeartbeat = new CountDownLatch(1);
        reports.holdNextHeartbeat(heartbeatSending, releaseHeartbeat);
        Thread heartbeat = new Thread(keeper::heartbeat, "test-heartbeat");
        heartbeat.start();
        assertTrue(heartbeatSending.await(WAIT_SECONDS, TimeUnit.SECONDS), "the heartbeat is sending its snapshot");

        CompletableFuture<Void> change = keeper.apply(set("c-2", "shop", 2));
        assertTrue(engine.awaitPut("shop.staging", 2), "the change is applied while the heartbeat is sending");
        releaseHeartbeat.countDown();
        change.get(WAIT_SECONDS, TimeUnit.SECONDS);
        heartbeat.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

        List<Long> generations = reports.generationsOf("shop.staging");
        assertEquals(2L, generations.get(generations.size() - 1),
                "the snapshot (generation 1) goes out before the change's report (generation 2), never after: "
                        + generations);
    }

    @Test
    void routersPlannedSideBySideGetPortsOfTheirOwn() throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add(keeper.apply(set("c-" + i, "svc" + i, 1)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        List<Integer> ports = new ArrayList<>();
        keeper.view().forEach(r -> {
            ports.add(r.port());
            ports.add(r.adminPort());
        });
        assertEquals(24, ports.size());
        assertEquals(24, ports.stream().distinct().count(), "no two routers share a port: " + ports);
    }

    private static RouterCommand set(String commandId, String service, long generation) {
        return RouterCommand.set(commandId, "h", new RouterSpec(RouterSpec.idOf(service, "staging"), service,
                "staging", 0, generation, Map.of("i-1", new RouteBackend("127.0.0.1:" + (20_000 + generation), 100)),
                1000));
    }

    private static void await(CountDownLatch latch) {
        Held.until(latch, WAIT_SECONDS);
    }

    /** A router that is this test's JVM (alive, never stopped): its tables are kept in memory. */
    private static final class FakeEngine implements RouterEngine {
        private final Map<String, Consumer<RouterHandle>> onPut = new ConcurrentHashMap<>();
        private final Map<String, List<Long>> puts = new ConcurrentHashMap<>();
        private final Map<String, RouterAdmin.Table> tables = new ConcurrentHashMap<>();

        void onPut(String routerId, long generation, Consumer<RouterHandle> action) {
            onPut.put(routerId + "@" + generation, action);
        }

        List<Long> puts(String routerId) {
            return List.copyOf(puts.getOrDefault(routerId, List.of()));
        }

        private final Map<String, CountDownLatch> putDone = new ConcurrentHashMap<>();

        /** Whether the table of that generation was put within the wait. */
        boolean awaitPut(String routerId, long generation) throws InterruptedException {
            return putDone.computeIfAbsent(routerId + "@" + generation, k -> new CountDownLatch(1))
                    .await(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public ProcessLauncher.Launched launch(RouterHandle router) {
            long pid = ProcessHandle.current().pid();
            return new ProcessLauncher.Launched(pid, ProcStat.of(pid).orElseThrow().startTicks(), Optional.empty());
        }

        @Override
        public boolean isLive(RouterHandle router) {
            return true;
        }

        @Override
        public RouterAdmin.Table put(RouterHandle router) throws IOException {
            Consumer<RouterHandle> action = onPut.get(router.routerId() + "@" + router.spec().generation());
            if (action != null) {
                action.accept(router);
            }
            puts.computeIfAbsent(router.routerId(), id -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(router.spec().generation());
            RouterAdmin.Table table = new RouterAdmin.Table(router.spec().generation(), router.spec().backends(),
                    List.of());
            tables.put(router.routerId(), table);
            putDone.computeIfAbsent(router.routerId() + "@" + router.spec().generation(), k -> new CountDownLatch(1))
                    .countDown();
            return table;
        }

        @Override
        public RouterAdmin.Table get(RouterHandle router) {
            return tables.get(router.routerId());
        }

        @Override
        public String exitOf(RouterHandle router) {
            return "ended";
        }

        @Override
        public void terminate(RouterHandle router) {
            // the test's own JVM: never
        }

        @Override
        public void forget(String routerId) {
            tables.remove(routerId);
        }
    }

    /** The routers' reports, with the command each answers. */
    private static final class Reports implements StatusSink {
        private record Report(RouterStatus router, String commandId) {
        }

        private final List<Report> reports = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void instanceChanged(InstanceStatus status, String commandId) {
        }

        @Override
        public void heartbeat(List<InstanceStatus> instances) {
        }

        @Override
        public void routerChanged(RouterStatus router, String commandId) {
            reports.add(new Report(router, commandId));
        }

        private volatile CountDownLatch[] heldHeartbeat;

        /** The next heartbeat says it is sending, then waits for {@code release} before its routers are recorded. */
        void holdNextHeartbeat(CountDownLatch sending, CountDownLatch release) {
            heldHeartbeat = new CountDownLatch[] {sending, release};
        }

        @Override
        public void routers(List<RouterStatus> routers) {
            CountDownLatch[] held = heldHeartbeat;
            heldHeartbeat = null;
            if (held != null) {
                held[0].countDown();
                await(held[1]);
            }
            routers.forEach(router -> reports.add(new Report(router, null)));
        }

        /** The generation of each report of a router, in the order recorded. */
        List<Long> generationsOf(String routerId) {
            synchronized (reports) {
                return reports.stream().filter(r -> routerId.equals(r.router().routerId()))
                        .map(r -> r.router().generation()).toList();
            }
        }

        RouterStatus answerOrNull(String commandId) {
            synchronized (reports) {
                return reports.stream().filter(r -> commandId.equals(r.commandId())).map(Report::router).findFirst()
                        .orElse(null);
            }
        }

        RouterStatus answer(String commandId) {
            RouterStatus answer = answerOrNull(commandId);
            assertTrue(answer != null, "no answer to " + commandId);
            return answer;
        }

        List<String> commandsOf(String routerId) {
            synchronized (reports) {
                return reports.stream().filter(r -> r.commandId() != null && routerId.equals(r.router().routerId()))
                        .map(Report::commandId).toList();
            }
        }
    }
}
