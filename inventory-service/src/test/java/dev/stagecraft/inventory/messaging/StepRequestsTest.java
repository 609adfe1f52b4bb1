package dev.stagecraft.inventory.messaging;

import dev.stagecraft.devinfra.TestTokens;
import static dev.stagecraft.inventory.InventoryTestSupport.alive;
import static dev.stagecraft.inventory.InventoryTestSupport.awaitGone;
import static dev.stagecraft.inventory.InventoryTestSupport.environmentOf;
import static dev.stagecraft.inventory.InventoryTestSupport.instances;
import static dev.stagecraft.inventory.InventoryTestSupport.processesOf;
import static dev.stagecraft.inventory.InventoryTestSupport.versionAt;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.DeploymentStatusChanged;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.FleetChanged;
import dev.stagecraft.contracts.InstanceAssignment;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.inventory.InventoryTestSupport;
import dev.stagecraft.inventory.api.InstanceView;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.inventory.router.TrafficRouter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * inventory-service as rollout-service sees it: step requests in, answers out, real processes in
 * between — applied once per event, with poison records set aside.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class StepRequestsTest {
    private static final String ENV = "staging";
    @Inject
    TrafficRouter router;
    static InventoryTestSupport support;
    static final List<String> services = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        support = new InventoryTestSupport();
    }

    @AfterAll
    static void noProcessIsLeft() {
        support.close();
        for (String service : services) {
            assertEquals(List.of(), processesOf(service), "processes of " + service + " left running");
        }
    }

    static String service(String prefix) {
        String service = InventoryTestSupport.uniqueService(prefix);
        services.add(service);
        return service;
    }

    static String deployment() {
        return "dep-" + UUID.randomUUID();
    }

    @Test
    void aMissingFleetResolvesAsMissing() {
        String dep = deployment();
        support.request(EventTypes.RESOLVE_REQUESTED, StepRequest.forInstances(dep, 0, service("ghost"), ENV, List.of()));
        TargetsResolved resolved = support.awaitResolved(dep);
        assertEquals(dep, resolved.deploymentId());
        assertFalse(resolved.fleetExists());
        assertEquals(0, resolved.desiredReplicas());
        assertEquals(List.of(), resolved.instances());
    }

    @Test
    void anEmptyFleetResolvesWithItsDesiredReplicas() {
        String service = service("empty");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":3}").put("/api/v1/fleets/" + service + "/" + ENV)
                .then().statusCode(200);
        String dep = deployment();
        support.request(EventTypes.RESOLVE_REQUESTED, StepRequest.forInstances(dep, 0, service, ENV, List.of()));
        TargetsResolved resolved = support.awaitResolved(dep);
        assertTrue(resolved.fleetExists());
        assertEquals(3, resolved.desiredReplicas());
        assertEquals(List.of(), resolved.instances());
    }

    @Test
    void instancesAreProvisionedEnabledUpdatedAndDecommissionedAsRealProcesses() {
        String service = service("web");
        String dep = deployment();
        String sealedSecret = dev.stagecraft.contracts.secrets.SecretBox
                .ofBase64Key(dev.stagecraft.devinfra.StagecraftTestInfra.TEST_SECRETS_KEY)
                .seal("pa55word", dev.stagecraft.contracts.secrets.SecretScope.instance(ENV, service, "DB_PASSWORD"));
        ReleaseSpec plain = support.release(service, "1.0.0", Map.of("GREETING", "x"));
        ReleaseSpec v1 = new ReleaseSpec(service, "1.0.0", plain.artifact(), plain.config(),
                Map.of("DB_PASSWORD", sealedSecret));
        ReleaseSpec v2 = support.release(service, "1.1.0", Map.of("GREETING", "y"));
        List<Long> pids = new ArrayList<>();
        try {
            // provision: two real processes that answer their version
            String provisionEvent = "provision-" + dep;
            support.request(EventTypes.PROVISION_REQUESTED, provisionEvent,
                    StepRequest.provision(dep, 1, service, ENV, 2, v1));
            InstancesChanged provisioned = support.awaitAnswer(dep, EventTypes.INSTANCES_PROVISIONED, 1);
            assertEquals(2, provisioned.outcomes().size(), provisioned.toString());
            assertTrue(provisioned.allOk(), provisioned.toString());
            List<InstanceView> fleet = instances(service, ENV);
            assertEquals(2, fleet.size());
            for (InstanceView instance : fleet) {
                assertEquals("STARTING", instance.state());
                assertEquals(0, instance.weight());
                assertEquals("1.0.0", instance.version());
                assertEquals("stable", instance.pool());
                assertTrue(provisioned.outcomes().stream().anyMatch(o -> o.instanceId().equals(instance.id())
                        && o.address().equals(instance.address()) && o.version().equals("1.0.0")));
                assertEquals(Optional.of("1.0.0"), versionAt(instance.address()));
                assertNotNull(instance.pid());
                pids.add(instance.pid());
                assertTrue(alive(instance.pid()), "pid " + instance.pid() + " runs");
                Map<String, String> env = environmentOf(instance.pid());
                assertEquals("x", env.get("GREETING"), "release config reaches the process");
                assertEquals("pa55word", env.get("DB_PASSWORD"), "a sealed secret reaches the process opened");
                assertEquals(instance.id(), env.get("INSTANCE_ID"));
                assertEquals(ENV, env.get("STAGECRAFT_ENVIRONMENT"));
                assertEquals(Set.of(), notInherited(env), "this service's own environment stays its own");
            }

            // the same event delivered again is applied once; a later request on the partition proves it was seen
            support.request(EventTypes.PROVISION_REQUESTED, provisionEvent,
                    StepRequest.provision(dep, 1, service, ENV, 2, v1));
            support.request(EventTypes.RESOLVE_REQUESTED, StepRequest.forInstances(dep, 2, service, ENV, List.of()));
            TargetsResolved resolved = support.awaitResolved(dep);
            assertEquals(2, resolved.instances().size());
            assertEquals("1.0.0", resolved.instances().get(0).running().version());
            assertEquals(2, instances(service, ENV).size());
            long answers = support.kafka.readAll(Topics.INSTANCES, Duration.ofSeconds(2)).stream()
                    .filter(r -> dep.equals(r.key()) && EventTypes.INSTANCES_PROVISIONED.equals(
                            CloudEventsTestClient.header(r, "ce_type"))).count();
            assertEquals(1, answers, "one answer to one provision");

            // the same step asked again (a new event: rollout-service asking again after a missed deadline) is answered
            // again with the outcome it had, and nothing more is started
            support.request(EventTypes.PROVISION_REQUESTED, "asked-again-" + dep,
                    StepRequest.provision(dep, 1, service, ENV, 2, v1));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> provisionAnswers(dep).size() == 2);
            List<InstancesChanged> both = provisionAnswers(dep);
            assertEquals(both.get(0), both.get(1), "answered again with the same outcome");
            assertEquals(2, instances(service, ENV).size(), "provisioned once");

            // enable: in service at full weight
            List<String> ids = fleet.stream().map(InstanceView::id).toList();
            support.request(EventTypes.ENABLE_REQUESTED, StepRequest.forInstances(dep, 3, service, ENV, ids));
            assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_ENABLED, 3).allOk());
            for (InstanceView instance : instances(service, ENV)) {
                assertEquals("IN_SERVICE", instance.state());
                assertEquals(100, instance.weight());
            }

            // update one instance: it answers the new version from a new process; the old one is gone
            InstanceView first = fleet.get(0);
            support.request(EventTypes.UPDATE_REQUESTED, StepRequest.update(dep, 4, service, ENV,
                    List.of(new InstanceAssignment(first.id(), v2))));
            InstancesChanged updated = support.awaitAnswer(dep, EventTypes.INSTANCES_UPDATED, 4);
            assertTrue(updated.allOk(), updated.toString());
            InstanceView after = byId(service, first.id());
            assertEquals("1.1.0", after.version());
            assertEquals(after.address(), updated.outcomes().get(0).address());
            assertNotEquals(first.address(), after.address());
            assertEquals("STARTING", after.state());
            assertEquals(0, after.weight());
            assertEquals(0, router.appliedWeights(new FleetKey(service, ENV)).get(first.id()), "router and table agree");
            assertEquals(Optional.of("1.1.0"), versionAt(after.address()));
            assertEquals("y", environmentOf(after.pid()).get("GREETING"));
            pids.add(after.pid());
            awaitGone(first.pid());
            assertEquals(Optional.empty(), versionAt(first.address()));

            // an artifact whose sha256 is wrong: the answer says so, the instance is FAILED, and nothing of it runs
            InstanceView second = fleet.get(1);
            ReleaseSpec tampered = new ReleaseSpec(service, "1.2.0",
                    new ArtifactRef(v2.artifact().uri(), "0".repeat(64)), Map.of());
            support.request(EventTypes.UPDATE_REQUESTED, StepRequest.update(dep, 5, service, ENV,
                    List.of(new InstanceAssignment(second.id(), tampered))));
            InstanceOutcome failed = support.awaitAnswer(dep, EventTypes.INSTANCES_UPDATED, 5).outcomes().get(0);
            assertFalse(failed.ok());
            assertEquals(second.id(), failed.instanceId());
            assertThat(failed.error(), containsString("sha256"));
            assertEquals(dev.stagecraft.platform.artifact.ArtifactException.REFUSAL, failed.error(),
                    "the one answer for every artifact that will not be used");
            InstanceView broken = byId(service, second.id());
            assertEquals("FAILED", broken.state());
            assertThat(broken.lastError(), containsString("sha256"));
            assertNull(broken.address());
            assertEquals(0, broken.weight());
            assertFalse(router.appliedWeights(new FleetKey(service, ENV)).containsKey(second.id()),
                    "a FAILED instance has nothing to route to");
            awaitGone(second.pid());

            // a FAILED instance cannot be enabled
            support.request(EventTypes.ENABLE_REQUESTED, StepRequest.forInstances(dep, 6, service, ENV,
                    List.of(second.id())));
            assertFalse(support.awaitAnswer(dep, EventTypes.INSTANCES_ENABLED, 6).allOk());
            assertEquals("FAILED", byId(service, second.id()).state());

            // decommission: rows and processes gone
            support.request(EventTypes.DECOMMISSION_REQUESTED, StepRequest.forInstances(dep, 7, service, ENV, ids));
            InstancesChanged decommissioned = support.awaitAnswer(dep, EventTypes.INSTANCES_DECOMMISSIONED, 7);
            assertTrue(decommissioned.allOk());
            assertEquals(2, decommissioned.outcomes().size());
            assertEquals(List.of(), instances(service, ENV));
            pids.forEach(InventoryTestSupport::awaitGone);
            assertEquals(Optional.empty(), versionAt(after.address()));
        } finally {
            support.decommissionAll(dep, 99, service, ENV);
        }
    }

    @Test
    void aFleetIsScaledLiveOnlyWhileNoDeploymentRunsAndEveryChangeIsPublished() {
        String service = service("counted");
        String dep = deployment();
        String fleet = "/api/v1/fleets/" + service + "/" + ENV;
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":2}")
                .put(fleet).then().statusCode(200);
        awaitFleet(service, new FleetCounts(2, 0));
        try {
            lifecycle(EventTypes.DEPLOYMENT_STARTED, dep, service);
            support.request(EventTypes.PROVISION_REQUESTED, StepRequest.provision(dep, 1, service, ENV, 2,
                    support.release(service, "1.0.0", Map.of())));
            assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_PROVISIONED, 1).allOk());
            awaitFleet(service, new FleetCounts(2, 2));
            support.request(EventTypes.ENABLE_REQUESTED, StepRequest.enable(dep, 2, service, ENV,
                    instances(service, ENV).stream().map(InstanceView::id).toList(), null));
            assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_ENABLED, 2).allOk());

            // while the deployment runs, its saga owns the fleet: a new size is refused, naming it
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> dep.equals(given().auth()
                    .oauth2(TestTokens.admin()).get(fleet).then().statusCode(200).extract().path("deployment")));
            given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":5}").put(fleet)
                    .then().statusCode(409).body("detail", containsString(dep));
            given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":2}").put(fleet)
                    .then().statusCode(200);

            // once it has ended, a new size is a live scale: 2 -> 3 (started, ready, routed) -> 1 (drained, stopped)
            lifecycle(EventTypes.DEPLOYMENT_SUCCEEDED, dep, service);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().auth()
                    .oauth2(TestTokens.admin()).get(fleet).then().statusCode(200).extract().path("deployment") == null);
            List<InstanceView> before = instances(service, ENV);
            given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":3}").put(fleet)
                    .then().statusCode(200).body("instances.size()", org.hamcrest.Matchers.equalTo(3))
                    .body("problems", org.hamcrest.Matchers.nullValue());
            awaitFleet(service, new FleetCounts(3, 3));
            List<InstanceView> grown = instances(service, ENV);
            Map<String, Integer> applied = router.appliedWeights(new FleetKey(service, ENV));
            for (InstanceView i : grown) {
                assertEquals("IN_SERVICE", i.state(), grown.toString());
                assertEquals(Optional.of("1.0.0"), versionAt(i.address()), "the new one runs the fleet's release");
                assertEquals(before.get(0).weight(), i.weight(), "the weight its peers have");
                assertEquals(i.weight(), applied.get(i.id()), "read back from the router");
            }

            given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":1}").put(fleet)
                    .then().statusCode(200).body("instances.size()", org.hamcrest.Matchers.equalTo(1));
            awaitFleet(service, new FleetCounts(1, 1));
            List<InstanceView> left = instances(service, ENV);
            for (InstanceView i : grown) {
                if (!i.id().equals(left.get(0).id())) {
                    awaitGone(i.pid());
                    assertFalse(router.appliedWeights(new FleetKey(service, ENV)).containsKey(i.id()), "out of the router");
                }
            }
        } finally {
            support.decommissionAll(dep, 99, service, ENV);
        }
        awaitFleet(service, new FleetCounts(1, 0));

        // one event per change, in the order of the changes: they share the fleet's key, hence its partition
        List<FleetChanged> published = fleetChanges(service, Duration.ofSeconds(2));
        assertEquals(List.of(new FleetCounts(2, 0), new FleetCounts(2, 2), new FleetCounts(2, 2),
                new FleetCounts(3, 3), new FleetCounts(1, 1), new FleetCounts(1, 0)),
                published.stream().map(FleetCounts::of).toList());
        published.forEach(e -> {
            assertEquals(service, e.service());
            assertEquals(ENV, e.environment());
            assertNotNull(e.at());
        });
        for (int i = 1; i < published.size(); i++) {
            assertFalse(published.get(i).at().isBefore(published.get(i - 1).at()), published.toString());
        }
    }

    /** A fact of the deployment's lifecycle, as rollout-service publishes it on stagecraft.deployments. */
    private static void lifecycle(String type, String dep, String service) {
        support.kafka.publish(Topics.DEPLOYMENTS, dep, type, InventoryTestSupport.write(new DeploymentStatusChanged(dep,
                service, ENV, "1.0.0", "IN_PROGRESS", type, java.time.Instant.now())));
    }

    @Test
    void stepsOnAServiceWithoutAFleetPublishNoFleetChange() {
        String service = service("fleetless");
        String dep = deployment();
        try {
            support.request(EventTypes.PROVISION_REQUESTED, StepRequest.provision(dep, 1, service, ENV, 1,
                    support.release(service, "1.0.0", Map.of())));
            assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_PROVISIONED, 1).allOk());
        } finally {
            support.decommissionAll(dep, 99, service, ENV);
        }
        assertEquals(List.of(), fleetChanges(service, Duration.ofSeconds(2)));
    }

    /** What a fleet.changed says about the fleet's size, for comparing whole sequences. */
    record FleetCounts(int replicas, int instances) {
        static FleetCounts of(FleetChanged e) {
            return new FleetCounts(e.replicas(), e.instances());
        }
    }

    private static void awaitFleet(String service, FleetCounts expected) {
        support.kafka.await(Topics.INSTANCES, r -> isFleetChange(r, service)
                && expected.equals(FleetCounts.of(InventoryTestSupport.read(r.value(), FleetChanged.class))),
                InventoryTestSupport.ANSWER_TIMEOUT);
    }

    private static List<FleetChanged> fleetChanges(String service, Duration settle) {
        return support.kafka.readAll(Topics.INSTANCES, settle).stream().filter(r -> isFleetChange(r, service))
                .map(r -> InventoryTestSupport.read(r.value(), FleetChanged.class)).toList();
    }

    private static boolean isFleetChange(ConsumerRecord<String, String> r, String service) {
        return FleetChanged.key(service, ENV).equals(r.key())
                && EventTypes.FLEET_CHANGED.equals(CloudEventsTestClient.header(r, "ce_type"));
    }

    @Test
    void aCanaryPoolGetsItsShareOfTrafficAsTheRouterConfirmsItAndThenBecomesTheStablePool() {
        // 33 / (33 + 3 × 100) = 9.9 %: the pools' shares come out as asked
        String service = service("pools");
        String dep = deployment();
        ReleaseSpec v1 = support.release(service, "1.0.0", Map.of());
        ReleaseSpec v2 = support.release(service, "2.0.0", Map.of());
        support.request(EventTypes.PROVISION_REQUESTED, StepRequest.provision(dep, 1, service, ENV, 3, v1));
        assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_PROVISIONED, 1).allOk());
        support.request(EventTypes.PROVISION_REQUESTED, StepRequest.provision(dep, 2, service, ENV, 1, v2, "canary"));
        InstancesChanged canary = support.awaitAnswer(dep, EventTypes.INSTANCES_PROVISIONED, 2);
        assertTrue(canary.allOk(), canary.toString());
        String canaryId = canary.outcomes().get(0).instanceId();
        assertEquals("canary", byId(service, canaryId).pool());

        support.request(EventTypes.WEIGHTS_REQUESTED, StepRequest.weigh(dep, 3, service, ENV,
                Map.of("canary", 10, "stable", 90)));
        InstancesChanged weighted = support.awaitAnswer(dep, EventTypes.INSTANCES_WEIGHTED, 3);
        assertTrue(weighted.allOk(), weighted.toString());
        assertEquals(4, weighted.outcomes().size(), "every instance of the fleet is answered for");
        Map<String, Integer> applied = router.appliedWeights(new FleetKey(service, ENV));
        for (var outcome : weighted.outcomes()) {
            // 10 % on one canary, 90 % over three stable instances (30 % each): 33 against 100 is 10 % of 333
            assertEquals(outcome.instanceId().equals(canaryId) ? 33 : 100, outcome.weight(), weighted.toString());
            assertEquals(outcome.weight(), applied.get(outcome.instanceId()), "read back from the router");
            assertEquals(outcome.weight(), byId(service, outcome.instanceId()).weight());
        }

        // a split that cannot be carried out changes nothing and says why
        support.request(EventTypes.WEIGHTS_REQUESTED, StepRequest.weigh(dep, 4, service, ENV,
                Map.of("green", 50, "stable", 50)));
        InstancesChanged refused = support.awaitAnswer(dep, EventTypes.INSTANCES_WEIGHTED, 4);
        assertFalse(refused.allOk());
        assertThat(refused.outcomes().get(0).error(), containsString("pool green has no instances"));
        assertEquals(applied, router.appliedWeights(new FleetKey(service, ENV)));

        support.request(EventTypes.ENABLE_REQUESTED, StepRequest.enable(dep, 5, service, ENV, List.of(canaryId),
                "stable"));
        assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_ENABLED, 5).allOk());
        assertEquals("stable", byId(service, canaryId).pool());
        List<String> all = instances(service, ENV).stream().map(InstanceView::id).toList();
        support.request(EventTypes.DECOMMISSION_REQUESTED, StepRequest.forInstances(dep, 6, service, ENV, all));
        assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_DECOMMISSIONED, 6).allOk());
    }

    @Test
    void aProvisionThatCannotBeRecordedLeavesNoProcessBehind() {
        String service = service("toolong");
        String dep = deployment();
        // The process starts, but the row cannot be stored (version is VARCHAR(100)): every retry fails the same way.
        ReleaseSpec unstorable = support.release(service, "1.0.0-" + "x".repeat(120), Map.of());
        support.request(EventTypes.PROVISION_REQUESTED, StepRequest.provision(dep, 1, service, ENV, 1, unstorable));
        support.kafka.await(Topics.deadLetter("inventory-service"), r -> dep.equals(r.key()), Duration.ofSeconds(90));
        assertEquals(List.of(), instances(service, ENV));
        assertEquals(List.of(), processesOf(service), "processes of a failed provision left running");
    }

    @Test
    void poisonRecordsAreDeadLetteredAndThePartitionKeepsFlowing() {
        String dep = deployment();
        String service = service("poison");
        support.kafka.publishRaw(Topics.ROLLOUT_STEPS, dep, "{this is not json", Map.of("ce_id", "poison-" + dep,
                "ce_type", EventTypes.PROVISION_REQUESTED, "ce_specversion", "1.0"));
        support.kafka.publishRaw(Topics.ROLLOUT_STEPS, dep, "no headers at all", Map.of());
        support.kafka.publish(Topics.ROLLOUT_STEPS, dep, EventTypes.PROVISION_REQUESTED, "{\"count\":\"many\"}");
        support.request(EventTypes.RESOLVE_REQUESTED, StepRequest.forInstances(dep, 1, service, ENV, List.of()));

        assertFalse(support.awaitResolved(dep).fleetExists());
        String dlq = Topics.deadLetter("inventory-service");
        assertEquals(dep, support.kafka.await(dlq, r -> "{this is not json".equals(r.value()),
                Duration.ofSeconds(30)).key());
        support.kafka.await(dlq, r -> dep.equals(r.key()) && "no headers at all".equals(r.value()),
                Duration.ofSeconds(30));
        support.kafka.await(dlq, r -> dep.equals(r.key()) && "{\"count\":\"many\"}".equals(r.value()),
                Duration.ofSeconds(30));
    }

    /** Variables of this JVM's environment that an instance must not see (bash sets PWD, SHLVL and _ itself). */
    private static Set<String> notInherited(Map<String, String> instanceEnv) {
        Set<String> allowed = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "PWD", "OLDPWD",
                "SHLVL", "_");
        return System.getenv().keySet().stream().filter(name -> !allowed.contains(name))
                .filter(instanceEnv::containsKey).collect(Collectors.toSet());
    }

    private static InstanceView byId(String service, String id) {
        return instances(service, ENV).stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no instance " + id));
    }

    private List<InstancesChanged> provisionAnswers(String dep) {
        List<InstancesChanged> answers = new ArrayList<>();
        for (var r : support.kafka.readAll(Topics.INSTANCES, Duration.ofSeconds(2))) {
            if (dep.equals(r.key()) && EventTypes.INSTANCES_PROVISIONED.equals(CloudEventsTestClient.header(r, "ce_type"))) {
                answers.add(InventoryTestSupport.read(r.value(), InstancesChanged.class));
            }
        }
        return answers;
    }
}
