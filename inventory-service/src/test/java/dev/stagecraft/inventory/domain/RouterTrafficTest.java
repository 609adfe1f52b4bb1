package dev.stagecraft.inventory.domain;

import static dev.stagecraft.inventory.InventoryTestSupport.instances;
import static dev.stagecraft.inventory.InventoryTestSupport.processesOf;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceAssignment;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.inventory.InventoryTestSupport;
import dev.stagecraft.devinfra.LoadLoop;
import dev.stagecraft.inventory.api.InstanceView;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.inventory.router.TrafficRouter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * A fleet's traffic as its users see it: one entry point, spread over the instances in service, with real
 * sample-app processes behind it. An instance is drained before it is stopped, so that updating one under
 * load fails no request; the router and the instance table agree on every weight.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class RouterTrafficTest {
    private static final String ENV = "staging";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    static InventoryTestSupport support;
    static String service;

    @Inject
    TrafficRouter router;
    @Inject
    RouterStartup startup;

    @BeforeAll
    static void setUp() {
        support = new InventoryTestSupport();
        service = InventoryTestSupport.uniqueService("routed");
    }

    @AfterAll
    static void tearDown() {
        support.close();
        assertEquals(List.of(), processesOf(service), "processes left running");
    }

    @Test
    void oneEntryPointSpreadsTheTrafficAndAnUpdateUnderLoadFailsNoRequest() throws Exception {
        String dep = "dep-" + UUID.randomUUID();
        // A little work per request, so that requests are in flight whenever an instance is drained.
        ReleaseSpec v1 = support.release(service, "1.0.0", Map.of("SAMPLE_LATENCY_MS", "20"));
        ReleaseSpec v2 = support.release(service, "1.1.0", Map.of("SAMPLE_LATENCY_MS", "20"));
        try {
            // the entry point exists from the fleet's creation on, and stays where it is
            String routerUrl = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                    .body("{\"replicas\":2}").put("/api/v1/fleets/" + service + "/" + ENV).then().statusCode(200)
                    .extract().path("routerUrl");
            assertThat(routerUrl, matchesPattern("http://127\\.0\\.0\\.1:\\d+"));
            given().auth().oauth2(TestTokens.admin()).get("/api/v1/fleets/" + service + "/" + ENV).then()
                    .statusCode(200).body("routerUrl", org.hamcrest.Matchers.equalTo(routerUrl));
            assertNoInstanceInService(routerUrl);

            // provisioned instances are in the router at weight 0: reachable for probes, given no traffic
            support.request(EventTypes.PROVISION_REQUESTED, StepRequest.provision(dep, 1, service, ENV, 2, v1));
            assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_PROVISIONED, 1).allOk());
            List<String> ids = instances(service, ENV).stream().map(InstanceView::id).sorted().toList();
            assertEquals(Map.of(ids.get(0), 0, ids.get(1), 0), routerAgreesWithTable());
            assertNoInstanceInService(routerUrl);

            // enabled: equal weights, an equal share each
            support.request(EventTypes.ENABLE_REQUESTED, StepRequest.forInstances(dep, 2, service, ENV, ids));
            assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_ENABLED, 2).allOk());
            assertEquals(Map.of(ids.get(0), 100, ids.get(1), 100), routerAgreesWithTable());
            LoadLoop.Result spread = LoadLoop.run(routerUrl, 4, 400, Duration.ofSeconds(30));
            assertEquals(0, spread.failed(), spread.failures().toString());
            System.out.printf("router: 2 instances at weight 100 -> %.1f%% / %.1f%% of %d%n",
                    spread.percent(ids.get(0)), spread.percent(ids.get(1)), spread.requests());
            for (String id : ids) {
                assertTrue(Math.abs(spread.percent(id) - 50) <= 15, id + " got " + spread.percent(id) + "%");
            }

            // one instance is updated and enabled again while a load runs through the router
            String updated = ids.get(0);
            LoadLoop.Result underLoad;
            try (LoadLoop load = LoadLoop.start(routerUrl, 4, 3_000, Duration.ofSeconds(30))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> load.sent() >= 100);
                support.request(EventTypes.UPDATE_REQUESTED, StepRequest.update(dep, 3, service, ENV,
                        List.of(new InstanceAssignment(updated, v2))));
                InstancesChanged answer = support.awaitAnswer(dep, EventTypes.INSTANCES_UPDATED, 3);
                assertTrue(answer.allOk(), answer.toString());
                assertEquals(Map.of(updated, 0, ids.get(1), 100), routerAgreesWithTable());
                support.request(EventTypes.ENABLE_REQUESTED, StepRequest.forInstances(dep, 4, service, ENV,
                        List.of(updated)));
                assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_ENABLED, 4).allOk());
                int atEnable = load.sent();
                await().atMost(Duration.ofSeconds(10)).until(() -> load.sent() >= atEnable + 200 || load.exhausted());
                assertFalse(load.exhausted(), "the load ended before the update did; too short to judge");
                underLoad = load.stop();
            }
            System.out.printf("router: update of 1 of 2 instances under load: %d requests, %d failed%n",
                    underLoad.requests(), underLoad.failed());
            assertEquals(0, underLoad.failed(), underLoad.failures().toString());
            assertTrue(underLoad.byBody().keySet().stream().anyMatch(body -> body.contains("\"version\":\"1.1.0\"")),
                    "the updated instance serves once enabled: " + underLoad.byBody().keySet());
            assertEquals(Map.of(updated, 100, ids.get(1), 100), routerAgreesWithTable());

            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith("stagecraft_router_requests_total{")
                    && line.contains("service=\"" + service + "\"") && line.contains("outcome=\"answered\"")),
                    "no router metric for " + service);

            // decommissioned: out of the router, which then has nobody to send traffic to
            support.request(EventTypes.DECOMMISSION_REQUESTED, StepRequest.forInstances(dep, 5, service, ENV, ids));
            assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_DECOMMISSIONED, 5).allOk());
            assertEquals(Map.of(), router.appliedWeights(new FleetKey(service, ENV)));
            assertNoInstanceInService(routerUrl);
        } finally {
            support.decommissionAll(dep, 99, service, ENV);
        }
    }

    @Test
    void atStartUpEveryFleetGetsItsEntryPointBackWithItsStoredWeights() throws Throwable {
        String empty = InventoryTestSupport.uniqueService("restored");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":1}")
                .put("/api/v1/fleets/" + empty + "/" + ENV).then().statusCode(200);
        // rows as a previous run of the service left them (no process needed: the router only routes)
        String serving = insert(InstanceState.IN_SERVICE, 100, "127.0.0.1:1");
        String draining = insert(InstanceState.OUT_OF_SERVICE, 0, "127.0.0.1:2");
        String failed = insert(InstanceState.FAILED, 0, null);
        FleetKey withInstances = new FleetKey(service, "restart");
        try {
            // the restart: the router in this process is gone
            router.removeFleet(new FleetKey(empty, ENV));
            router.removeFleet(withInstances);

            VertxContextSupport.subscribeAndAwait(startup::openAll);

            assertTrue(router.routerUrl(new FleetKey(empty, ENV)).isPresent(), "a fleet without instances");
            given().auth().oauth2(TestTokens.admin()).get("/api/v1/fleets/" + empty + "/" + ENV).then().statusCode(200)
                    .body("routerUrl", org.hamcrest.Matchers.equalTo(router.routerUrl(new FleetKey(empty, ENV))
                            .orElseThrow()));
            assertTrue(router.routerUrl(withInstances).isPresent(), "instances without a fleet row");
            assertEquals(Map.of(serving, 100, draining, 0), router.appliedWeights(withInstances));
            assertFalse(router.appliedWeights(withInstances).containsKey(failed), "a FAILED instance is not routed");
        } finally {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> InstanceEntity
                    .delete("id in ?1", List.of(serving, draining, failed))));
            router.removeFleet(withInstances);
        }
    }

    private static String insert(InstanceState state, int weight, String address) throws Throwable {
        InstanceEntity row = new InstanceEntity();
        row.id = "i-" + UUID.randomUUID().toString().substring(0, 8);
        row.service = service;
        row.environment = "restart";
        row.pool = "stable";
        row.runs(support.release(service, "3.0.0", Map.of()));
        row.state = state;
        row.weight = weight;
        row.address = address;
        row.updatedAt = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> row.<InstanceEntity>persist()));
        return row.id;
    }

    /** The weights the router applies equal the table's; answers them. */
    private Map<String, Integer> routerAgreesWithTable() {
        Map<String, Integer> table = instances(service, ENV).stream()
                .collect(Collectors.toMap(InstanceView::id, InstanceView::weight));
        Map<String, Integer> applied = router.appliedWeights(new FleetKey(service, ENV));
        assertEquals(table, applied, "router and instance table disagree");
        assertEquals(Set.copyOf(table.keySet()), applied.keySet());
        return applied;
    }

    private static void assertNoInstanceInService(String routerUrl) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(routerUrl + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("content-type").orElse(""));
        assertThat(response.body(), containsString("no instance of " + service + " in " + ENV + " is in service"));
    }
}
