package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.LoadLoop;
import io.restassured.path.json.JsonPath;
import org.awaitility.Awaitility;

/**
 * Host agents run the instances and the fleet's router (STAGECRAFT_INSTANCE_DRIVER=agent, 3 hosts): a first rolling
 * deployment spreads 3 instances over the hosts' addresses; kill -9 of inventory-service leaves every instance and
 * the router running: requests straight to the instances and through the routerUrl all succeed while it is down. The
 * restarted inventory-service takes the instances and the router over from the agents' reports instead of starting
 * new ones (same pids, same routerUrl), and a second rolling deployment, which drains each instance to weight 0 and
 * gives it 100 again, succeeds with not one request through the router failing. Prints the figures.
 * Then, level-triggered reconciliation: a kill -9 of an instance is restarted by its agent (the views show it),
 * and when the router's host dies whole (its agent, its instances and the router), its instances are placed again on
 * the other hosts and the router moves to another host on the same port. Last, inventory-service as two replicas:
 * both answer alike, and a blue/green deployment survives the kill -9 of the replica that carries it in the middle of
 * starting the green pool: the instances it had started have no row, and are stopped (no orphan, no double).
 */
class AgentTakeoverEndToEndTest {
    private static final String SERVICE = "atlas";
    private static final String ENV = "staging";
    private static final int REPLICAS = 3;
    private static final int HOSTS = 3;
    private static final Set<String> HOST_ADDRESSES = Set.of(Platform.hostAddress(1), Platform.hostAddress(2),
            Platform.hostAddress(3));
    private static final String ROLLING = "{\"type\":\"rolling\",\"maxUnavailable\":1}";
    private static final String BLUE_GREEN = "{\"type\":\"blue-green\",\"scaleDownDelay\":\"0s\"}";
    /** The outage lasts this long: a loop of requests, loopback only, bounded. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    /** Between one load thread's requests during the deployment: the platform shares the two cores with the load. */
    private static final Duration PAUSE = Duration.ofMillis(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Test
    void instancesUnderHostAgentsOutliveInventoryServiceAndAreTakenOver() throws Exception {
        // With the secrets key, as deploy/local/up: the agents open each instance's sealed OFREP token themselves.
        Platform platform = Platform.start(Map.of(), "e2e-work-agents", HOSTS);
        List<String> figures = new ArrayList<>();
        try {
            PlatformApi api = new PlatformApi(platform);
            String routerBefore = api.fleetRunning100(SERVICE, ENV, REPLICAS, ROLLING);
            Map<String, String> addressesBefore = field(api, "address");
            Map<String, String> pidsBefore = field(api, "pid");
            assertEquals(REPLICAS, addressesBefore.size(), "instances: " + addressesBefore);
            Set<String> hosts = addressesBefore.values().stream().map(a -> a.substring(0, a.lastIndexOf(':')))
                    .collect(Collectors.toSet());
            assertEquals(HOST_ADDRESSES, hosts, "spread over every host: " + addressesBefore);
            assertEquals(200, get(routerBefore + "/").statusCode(), "the router routes before the outage");
            String routerHost = URI.create(routerBefore).getHost();
            assertTrue(HOST_ADDRESSES.contains(routerHost),
                    "the router listens on a host's address, not in inventory-service: " + routerBefore);

            Map<String, Long> routerPidsBefore = platform.agentRouterPids();
            assertEquals(1, routerPidsBefore.size(), "one router process, under an agent: " + routerPidsBefore);
            for (String pid : pidsBefore.values()) {
                assertTrue(Files.readString(java.nio.file.Path.of("/proc", pid, "environ")).contains(
                        "\0OFREP_HEADERS=Authorization=Bearer ofrep_"), "the agent opened the sealed OFREP token");
            }

            platform.kill("inventory-service");
            int direct = 0;
            int directFailures = 0;
            LoadLoop.Result routed;
            // Through the routerUrl: 2 threads back to back for the whole outage (loopback, bounded).
            try (LoadLoop load = LoadLoop.start(routerBefore, 2, 200_000, OUTAGE.plusSeconds(30))) {
                long end = System.nanoTime() + OUTAGE.toNanos();
                while (System.nanoTime() < end) {
                    for (String address : addressesBefore.values()) {
                        direct++;
                        if (!ok("http://" + address + "/")) {
                            directFailures++;
                        }
                    }
                    Thread.sleep(50);
                }
                routed = load.stop();
            }
            figures.add(String.format("inventory-service down %d s: %d requests straight to the instances, %d failed;"
                    + " %d through the routerUrl (router under a host agent), %d failed", OUTAGE.toSeconds(), direct,
                    directFailures, routed.requests(), routed.failed()));
            assertEquals(0, directFailures, figures.get(0));
            assertEquals(0, routed.failed(), figures.get(0) + ": " + routed.failures());
            assertTrue(routed.requests() > 0, figures.get(0));
            assertEquals(REPLICAS, routed.instances().size(), "every instance takes a share: " + routed.instances());

            long restarted = System.currentTimeMillis();
            platform.restart("inventory-service");
            platform.awaitReady(Duration.ofSeconds(120), List.of("inventory-service"));
            figures.add(String.format("inventory-service ready %.1f s after its restart",
                    (System.currentTimeMillis() - restarted) / 1e3));
            Map<String, String> addressesAfter = field(api, "address");
            Map<String, String> pidsAfter = field(api, "pid");
            figures.add("pids before " + pidsBefore + ", after " + pidsAfter);
            figures.add("addresses before " + addressesBefore + ", after " + addressesAfter);
            assertEquals(pidsBefore, pidsAfter, "taken over, not started again");
            assertEquals(addressesBefore, addressesAfter);
            for (String pid : pidsAfter.values()) {
                assertTrue(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false), pid);
            }
            assertEquals(Set.of("IN_SERVICE"), Set.copyOf(api.instances(SERVICE, ENV).getList("state")));
            String routerAfter = api.routerUrl(SERVICE, ENV);
            figures.add("routerUrl before " + routerBefore + ", after " + routerAfter);
            assertEquals(routerBefore, routerAfter);
            int afterFailures = 0;
            for (int i = 0; i < 30; i++) {
                if (!ok(routerAfter + "/")) {
                    afterFailures++;
                }
            }
            figures.add("30 requests through the routerUrl after the restart: " + afterFailures + " failed");
            assertEquals(0, afterFailures, "the router routes again");

            Map<String, Long> routerPidsAfter = platform.agentRouterPids();
            figures.add("router pid before " + routerPidsBefore + ", after " + routerPidsAfter);
            assertEquals(routerPidsBefore, routerPidsAfter, "the router was taken over, not started again");

            api.release(SERVICE, "1.1.0", Map.of());
            JsonPath second;
            LoadLoop.Result during;
            try (LoadLoop load = LoadLoop.start(routerAfter, 2, 40_000, Duration.ofSeconds(240), PAUSE)) {
                second = api.awaitEnd(api.deploy(SERVICE, "1.1.0", ENV, ROLLING));
                assertFalse(load.exhausted(), "the load ended before the deployment did; too short to judge");
                during = load.stop();
            }
            assertEquals("SUCCEEDED", second.getString("status"), String.join("\n", PlatformApi.timeline(second)));
            figures.add(String.format("second rolling deployment (weights 100 -> 0 -> 100 per instance) SUCCEEDED: %d "
                    + "requests through the routerUrl meanwhile, %d failed, versions %s", during.requests(),
                    during.failed(), during.versions()));
            assertEquals(0, during.failed(), during.failures().toString());
            JsonPath instances = api.instances(SERVICE, ENV);
            assertEquals(Set.of("1.1.0"), Set.copyOf(instances.getList("version")));
            assertEquals(Set.of("1.1.0"), LoadLoop.run(routerAfter, 1, 20, Duration.ofSeconds(20)).versions().keySet(),
                    "the router sends every request to 1.1.0");
            assertEquals(routerPidsBefore, platform.agentRouterPids(), "the same router process throughout");
            figures.add("instances after: " + field(api, "address") + " pids " + field(api, "pid"));

            instanceKilledIsRestartedByItsAgent(api, figures);
            aLostHostIsReplacedOnTheOtherHosts(platform, api, routerAfter, figures);
            twoReplicasAndOneKilledInTheMiddleOfADeployment(platform, figures);
        } finally {
            figures.forEach(System.out::println);
            Files.write(platform.workDir.resolve("figures.txt"), figures);
            platform.close();
        }
        Leftovers.assertNoInstanceProcesses(platform.workDir);
    }

    /** kill -9 of an instance: its agent starts it again on the same address, and the views show the restart. */
    private static void instanceKilledIsRestartedByItsAgent(PlatformApi api, List<String> figures) throws Exception {
        String id = field(api, "pid").keySet().iterator().next();
        long pid = Long.parseLong(field(api, "pid").get(id));
        String address = field(api, "address").get(id);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long killed = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                ok("http://" + address + "/") && !String.valueOf(pid).equals(field(api, "pid").get(id)));
        double serving = (System.nanoTime() - killed) / 1e9;
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(field(api, "restarts").get(id))
                && "RUNNING".equals(field(api, "observedState").get(id)));
        assertEquals("IN_SERVICE", field(api, "state").get(id));
        assertEquals(address, field(api, "address").get(id), "same address");
        figures.add(String.format("kill -9 of instance %s (pid %d): serving again at %s after %.1f s, as pid %s,"
                + " restarts 1 in GET /api/v1/instances", id, pid, address, serving, field(api, "pid").get(id)));
    }

    /**
     * The router's host dies whole (kill -9 of its agent, its instances and the fleet router: everything bound to its
     * address). Once its heartbeat is missed, its instances are placed again on the other hosts, same ids, the router
     * is started on another host on the same port (the routerUrl names the new host), and the fleet serves whole.
     */
    private static void aLostHostIsReplacedOnTheOtherHosts(Platform platform, PlatformApi api, String routerUrl,
            List<String> figures) throws Exception {
        URI before = URI.create(routerUrl);
        String lostAddress = before.getHost();
        String lostHost = "host-" + (Integer.parseInt(lostAddress.substring(lostAddress.lastIndexOf('.') + 1)) - 1);
        Map<String, String> addresses = field(api, "address");
        List<String> onLostHost = addresses.keySet().stream().filter(id -> addresses.get(id).startsWith(lostAddress + ":"))
                .toList();
        List<Long> killed = platform.killHost(lostHost);
        long t0 = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, String> now = field(api, "address");
            URI router = URI.create(api.routerUrl(SERVICE, ENV));
            return now.keySet().equals(addresses.keySet()) && now.values().stream()
                    .allMatch(a -> !a.startsWith(lostAddress + ":") && ok("http://" + a + "/"))
                    && Set.of("IN_SERVICE").equals(Set.copyOf(field(api, "state").values()))
                    && !router.getHost().equals(lostAddress) && ok(router + "/");
        });
        double whole = (System.nanoTime() - t0) / 1e9;
        String after = api.routerUrl(SERVICE, ENV);
        assertEquals(before.getPort(), URI.create(after).getPort(), "the router keeps its port on its new host");
        int failed = 0;
        for (int i = 0; i < 30; i++) {
            failed += ok(after + "/") ? 0 : 1;
        }
        figures.add(String.format("%s killed whole (agent, fleet router and %d instances %s: pids %s): the fleet whole"
                + " again on the other hosts after %.1f s (%s), routerUrl %s -> %s; 30 requests through it then, %d"
                + " failed", lostHost, onLostHost.size(), onLostHost, killed, whole, field(api, "address"), routerUrl,
                after, failed));
        assertEquals(0, failed, figures.get(figures.size() - 1));
        assertEquals(Set.of("RUNNING"), Set.copyOf(field(api, "observedState").values()));
    }

    /**
     * A second inventory-service replica starts beside the first (its own port, the same database and broker): both
     * answer GET /api/v1/fleets and /api/v1/instances alike. A blue/green deployment to 1.2.0 starts, and the replica
     * carrying it is killed -9 as soon as it has started the first green instance: in the middle of the provision
     * step, whose rows it never wrote, so the green instances it had started run under their agents with no row. The
     * other replica does the step again (new instances) and finishes: the deployment SUCCEEDS, and within a bounded
     * wait the processes the hosts run are exactly the fleet's rows, one each: the killed replica's instances were
     * stopped (the orphan sweep), none doubled. inventory-service recorded each green instance's provisioning and
     * enabling once.
     */
    private static void twoReplicasAndOneKilledInTheMiddleOfADeployment(Platform platform, List<String> figures)
            throws Exception {
        String second = "inventory-service-2";
        long t0 = System.nanoTime();
        platform.startReplica("inventory-service", second);
        platform.awaitReady(Duration.ofSeconds(120), List.of(second));
        String fleetPath = "/api/v1/fleets/" + SERVICE + "/" + ENV;
        String instancesPath = "/api/v1/instances?service=" + SERVICE + "&environment=" + ENV;
        List<String> replicas = List.of("inventory-service", second);
        // the answers as parsed JSON (maps and lists), compared whole
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                getJson(platform.url(replicas.get(0)) + fleetPath).get().equals(getJson(platform.url(second)
                        + fleetPath).get())
                        && getJson(platform.url(replicas.get(0)) + instancesPath).get()
                                .equals(getJson(platform.url(second) + instancesPath).get()));
        Map<String, Object> fleetBefore = getJson(platform.url(second) + fleetPath).getMap("");
        figures.add(String.format("second inventory-service replica ready after %.1f s; both answer %s alike: %s",
                (System.nanoTime() - t0) / 1e9, fleetPath, fleetBefore));

        PlatformApi api = new PlatformApi(platform);
        Set<String> blue = field(getJson(platform.url(second) + instancesPath), "id").keySet();
        api.release(SERVICE, "1.2.0", Map.of());
        String deployment = api.deploy(SERVICE, "1.2.0", ENV, BLUE_GREEN);
        // the replica that carries the deployment's steps is the one that starts its first 1.2.0 instance
        String started = "runs " + SERVICE + " 1.2.0 on host";
        String victim = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (victim == null && System.nanoTime() < deadline) {
            for (String replica : replicas) {
                if (platform.log(replica).contains(started)) {
                    victim = replica;
                }
            }
            Thread.sleep(20);
        }
        assertTrue(victim != null, "no replica started a 1.2.0 instance within 120 s");
        platform.kill(victim);
        long killed = System.nanoTime();
        String survivor = victim.equals(second) ? replicas.get(0) : second;
        JsonPath done = api.awaitEnd(deployment);
        double ended = (System.nanoTime() - killed) / 1e9;
        assertEquals("SUCCEEDED", done.getString("status"), String.join("\n", PlatformApi.timeline(done)));

        String base = platform.url(survivor);
        Set<String> ids = field(getJson(base + instancesPath), "id").keySet();
        // the green instances the killed replica had seen running (it may have started more): no row was written
        Set<String> leftByKill = new java.util.TreeSet<>(java.util.regex.Pattern.compile(
                "instance (i-[0-9a-f]+) runs " + SERVICE + " 1\\.2\\.0 on host").matcher(platform.log(victim))
                .results().map(m -> m.group(1)).toList());
        leftByKill.removeAll(ids);
        long swept = System.nanoTime();
        // no orphan, no double: within a bounded wait, the processes the hosts run are the fleet's rows
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonPath now = getJson(base + instancesPath);
            return Set.of("RUNNING").equals(Set.copyOf(field(now, "observedState").values()))
                    && platform.runningInstanceProcesses(null).keySet().equals(field(now, "id").keySet());
        });
        double sweptAfter = (System.nanoTime() - swept) / 1e9;
        JsonPath after = getJson(base + instancesPath);
        assertEquals(ids, field(after, "id").keySet(), "the fleet's rows did not change while orphans were stopped");
        assertEquals(REPLICAS, ids.size(), "a green pool as large as blue: " + ids);
        assertTrue(java.util.Collections.disjoint(blue, ids), "blue " + blue + " removed, green " + ids + " left");
        assertEquals(Set.of("1.2.0"), Set.copyOf(field(after, "version").values()));
        assertEquals(Set.of("IN_SERVICE"), Set.copyOf(field(after, "state").values()));
        Map<String, List<Long>> running = platform.runningInstanceProcesses(null);
        Map<String, String> pids = field(after, "pid");
        for (String id : ids) {
            assertEquals(List.of(Long.parseLong(pids.get(id))), running.get(id),
                    "instance " + id + " runs as one process, the one its row names: " + running);
        }
        String routerUrl = getJson(base + fleetPath).getString("routerUrl");
        assertEquals(Set.of("1.2.0"), LoadLoop.run(routerUrl, 1, 20, Duration.ofSeconds(20)).versions().keySet(),
                "the router sends every request to 1.2.0");

        Map<String, Map<String, Integer>> answered = answeredOnce(platform, deployment);
        for (String type : List.of("instances.provisioned", "instances.enabled")) {
            Map<String, Integer> perInstance = answered.getOrDefault(type, Map.of());
            assertEquals(ids, perInstance.keySet(), type + " answers name every instance: " + answered);
            assertEquals(Set.of(1), Set.copyOf(perInstance.values()), type + " once per instance: " + answered);
        }
        figures.add(String.format("kill -9 of %s (it carried blue/green deployment %s and had started its first green"
                + " instance): %s finished it, SUCCEEDED %.1f s after the kill; instances %s on 1.2.0, pids %s, one live"
                + " process each; the killed replica's green instances without a row (those it logged running) %s, none"
                + " running %.1f s after the end (%s); inventory-service's stored answers: %s", victim, deployment, survivor, ended, ids, pids,
                leftByKill, sweptAfter, orphanSweeps(platform, replicas), answered));
    }

    /** What the orphan sweeps of the replicas logged. */
    private static List<String> orphanSweeps(Platform platform, List<String> replicas) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String replica : replicas) {
            platform.log(replica).lines().filter(l -> l.contains("orphan instance(s) of"))
                    .forEach(l -> lines.add(replica + ": " + l.substring(l.indexOf("stopped"))));
        }
        return lines;
    }

    /**
     * From inventory-service's step_answer table (one row per step it answered): answer type → instance id → how many
     * ok outcomes of that type name it. A step carried out twice under two step numbers would count an instance twice.
     */
    private static Map<String, Map<String, Integer>> answeredOnce(Platform platform, String deployment)
            throws Exception {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (var db = platform.database("inventory"); var query = db.prepareStatement(
                "SELECT type, payload FROM step_answer WHERE deployment_id = ? ORDER BY step")) {
            query.setString(1, deployment);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(1).substring(rows.getString(1).lastIndexOf('.', rows.getString(1)
                            .lastIndexOf('.') - 1) + 1);
                    for (var outcome : json.readTree(rows.getString(2)).path("outcomes")) {
                        if (outcome.path("ok").asBoolean()) {
                            counts.computeIfAbsent(type, k -> new TreeMap<>())
                                    .merge(outcome.path("instanceId").asText(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        return counts;
    }

    private static JsonPath getJson(String url) {
        return io.restassured.RestAssured.given().auth().oauth2(dev.stagecraft.devinfra.TestTokens.admin()).get(url)
                .then().statusCode(200).extract().jsonPath();
    }

    /** instance id → one field of it, in a GET /api/v1/instances answer. */
    private static Map<String, String> field(JsonPath instances, String name) {
        List<String> ids = instances.getList("id");
        List<Object> values = instances.getList(name);
        Map<String, String> byId = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            byId.put(ids.get(i), String.valueOf(values.get(i)));
        }
        return byId;
    }

    /** instance id → one field of it, as GET /api/v1/instances shows it. */
    private static Map<String, String> field(PlatformApi api, String name) {
        return field(api.instances(SERVICE, ENV), name);
    }

    private static boolean ok(String url) {
        try {
            return get(url).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
