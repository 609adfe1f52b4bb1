package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import io.restassured.path.json.JsonPath;

/**
 * Host agents run the instances (STAGECRAFT_INSTANCE_DRIVER=agent, 2 hosts): a first rolling deployment spreads 3
 * instances over both hosts' addresses; kill -9 of inventory-service leaves every instance running and answering
 * at its address with its pid, while requests go to the instances directly (the fleet's router lives in
 * inventory-service's JVM, so it is down with it: measured, not asserted); the restarted inventory-service takes
 * the instances over from the agents' reports instead of starting new ones, opens the router on the same
 * routerUrl, and a second rolling deployment succeeds. Prints the figures.
 */
class AgentTakeoverEndToEndTest {
    private static final String SERVICE = "atlas";
    private static final String ENV = "staging";
    private static final int REPLICAS = 3;
    private static final String ROLLING = "{\"type\":\"rolling\",\"maxUnavailable\":1}";
    /** The outage lasts this long: a loop of requests, loopback only, bounded. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Test
    void instancesUnderHostAgentsOutliveInventoryServiceAndAreTakenOver() throws Exception {
        // No secrets key, as deploy/local/up runs agent mode: host agents cannot open sealed secrets yet, and the
        // agent driver refuses releases that carry any (the platform's OFREP token for instances is one).
        Platform platform = Platform.start(Map.of("STAGECRAFT_SECRETS_KEY", ""), "e2e-work-agents", 2);
        List<String> figures = new ArrayList<>();
        try {
            PlatformApi api = new PlatformApi(platform);
            String routerBefore = api.fleetRunning100(SERVICE, ENV, REPLICAS, ROLLING);
            Map<String, String> addressesBefore = field(api, "address");
            Map<String, String> pidsBefore = field(api, "pid");
            assertEquals(REPLICAS, addressesBefore.size(), "instances: " + addressesBefore);
            Set<String> hosts = addressesBefore.values().stream().map(a -> a.substring(0, a.lastIndexOf(':')))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(Platform.hostAddress(1), Platform.hostAddress(2)), hosts,
                    "spread over both hosts: " + addressesBefore);
            assertEquals(200, get(routerBefore + "/").statusCode(), "the router routes before the outage");

            platform.kill("inventory-service");
            int direct = 0;
            int directFailures = 0;
            int routed = 0;
            int routedFailures = 0;
            long end = System.nanoTime() + OUTAGE.toNanos();
            while (System.nanoTime() < end) {
                for (String address : addressesBefore.values()) {
                    direct++;
                    if (!ok("http://" + address + "/")) {
                        directFailures++;
                    }
                }
                routed++;
                if (!ok(routerBefore + "/")) {
                    routedFailures++;
                }
                Thread.sleep(50);
            }
            figures.add(String.format("inventory-service down %d s: %d requests straight to the instances, %d failed;"
                    + " %d through the routerUrl (router in inventory's JVM), %d failed", OUTAGE.toSeconds(), direct,
                    directFailures, routed, routedFailures));
            assertEquals(0, directFailures, figures.get(0));

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

            api.release(SERVICE, "1.1.0", Map.of());
            JsonPath second = api.awaitEnd(api.deploy(SERVICE, "1.1.0", ENV, ROLLING));
            assertEquals("SUCCEEDED", second.getString("status"), String.join("\n", PlatformApi.timeline(second)));
            JsonPath instances = api.instances(SERVICE, ENV);
            assertEquals(Set.of("1.1.0"), Set.copyOf(instances.getList("version")));
            figures.add("second rolling deployment SUCCEEDED: " + field(api, "address") + " pids " + field(api, "pid"));
        } finally {
            figures.forEach(System.out::println);
            Files.write(platform.workDir.resolve("figures.txt"), figures);
            platform.close();
        }
        Leftovers.assertNoInstanceProcesses();
    }

    /** instance id → one field of it, as GET /api/v1/instances shows it. */
    private static Map<String, String> field(PlatformApi api, String name) {
        JsonPath instances = api.instances(SERVICE, ENV);
        List<String> ids = instances.getList("id");
        List<Object> values = instances.getList(name);
        Map<String, String> byId = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            byId.put(ids.get(i), String.valueOf(values.get(i)));
        }
        return byId;
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
