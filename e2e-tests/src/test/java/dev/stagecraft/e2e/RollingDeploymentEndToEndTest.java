package dev.stagecraft.e2e;

import dev.stagecraft.devinfra.TestTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.security.MessageDigest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.stagecraft.devinfra.CdEventSchemas;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The foundation's promise, end to end, with every part real: Kafka, PostgreSQL, the four services
 * as processes, and the sample app running as OS processes on loopback ports. A fleet of 4 in
 * staging is provisioned, rolled forward one instance at a time, and rolled back by itself when a
 * release fails readiness or crashes at start; operators roll back and abort by hand. The fleet is
 * watched from outside throughout: never more than maxUnavailable (1) instance out of service.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedPlatform.class)
class RollingDeploymentEndToEndTest {
    private static final String SERVICE = "shop";
    private static final String ENV = "staging";
    private static final int REPLICAS = 4;
    private static final Duration WATCH_LIMIT = Duration.ofMinutes(4);

    static Platform platform;
    static String artifactUri;
    static String artifactSha;
    static final List<String> figures = new ArrayList<>();

    @BeforeAll
    static void startPlatform(Platform shared) throws Exception {
        platform = shared;
        figures.add(String.format("platform start (Kafka, PostgreSQL, 4 services ready): %.1f s",
                SharedPlatform.startSeconds()));
        Path jar = platform.sampleApp();
        artifactUri = jar.toUri().toString();
        artifactSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform == null) {
            return;
        }
        platform.residentMemoryMiB().forEach((service, mib) -> figures.add("resident memory " + service + ": "
                + mib + " MiB"));
        report(); // the shared platform stops at the end of the run, and checks then that no instance is left
    }

    @Test
    @Order(1)
    void firstDeploymentProvisionsTheFleet() {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":" + REPLICAS + "}")
                .put(inventory("/api/v1/fleets/" + SERVICE + "/" + ENV)).then().statusCode(200);
        createRelease("1.0.0", Map.of());
        createRelease("1.1.0", Map.of());
        JsonPath done = deployAndWait("1.0.0");
        assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
        assertFleetServes("1.0.0");
    }

    @Test
    @Order(2)
    void rollingUpdateReplacesEveryInstanceWithOneAtATimeOutOfService() throws Exception {
        try (FleetWatcher watcher = watch()) {
            long t0 = System.nanoTime();
            JsonPath done = deployAndWait("1.1.0");
            figures.add(String.format("rolling 1.0.0 -> 1.1.0 on %d instances, maxUnavailable 1: %.1f s", REPLICAS,
                    secondsSince(t0)));
            assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
            Thread.sleep(300);
            assertAtMostOneOutOfService(watcher);
        }
        assertFleetServes("1.1.0");
    }

    @Test
    @Order(3)
    void aReleaseFailingReadinessIsRolledBackByItself() throws Exception {
        createRelease("1.2.0", Map.of("SAMPLE_READY_FAIL", "true"));
        try (FleetWatcher watcher = watch()) {
            long t0 = System.nanoTime();
            JsonPath done = deployAndWait("1.2.0");
            double total = secondsSince(t0);
            assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
            assertTrue(done.getString("reasons[0]").contains("verdict FAIL"), done.getString("reasons[0]"));
            assertTrue(done.getString("reasons[0]").contains("readiness"), done.getString("reasons[0]"));
            Instant failedAt = failingVerdictTime(done.getString("id"));
            Thread.sleep(500);
            Instant restoredAt = watcher.firstAllServing("1.1.0", REPLICAS, failedAt);
            assertNotNull(restoredAt, "the fleet never served 1.1.0 again on all instances");
            figures.add(String.format("rollback of 1.2.0 (readiness fails): total %.1f s, failing verdict -> last"
                    + " instance serving 1.1.0: %d ms", total, Duration.between(failedAt, restoredAt).toMillis()));
            assertAtMostOneOutOfService(watcher);
        }
        assertFleetServes("1.1.0");
    }

    @Test
    @Order(4)
    void aReleaseThatCrashesAtStartIsRolledBackByItself() throws Exception {
        createRelease("1.3.0", Map.of("SAMPLE_CRASH_ON_START", "true"));
        try (FleetWatcher watcher = watch()) {
            long t0 = System.nanoTime();
            JsonPath done = deployAndWait("1.3.0");
            figures.add(String.format("rollback of 1.3.0 (crashes on start): total %.1f s", secondsSince(t0)));
            assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
            assertTrue(done.getString("reasons[0]").contains("exited during start-up"), done.getString("reasons[0]"));
            Thread.sleep(300);
            assertAtMostOneOutOfService(watcher);
        }
        assertFleetServes("1.1.0");
    }

    @Test
    @Order(5)
    void anOperatorRollsBackARunningDeployment() throws Exception {
        // Slow to become ready, so that the deployment is still running when the operator steps in.
        createRelease("1.4.0", Map.of("SAMPLE_STARTUP_DELAY_MS", "2000"));
        try (FleetWatcher watcher = watch()) {
            String id = deploy("1.4.0");
            awaitTimeline(id, "back in service");
            given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"reason\":\"customer reports\"}")
                    .post(release("/api/v1/deployments/" + id + "/rollback")).then().statusCode(202);
            JsonPath done = awaitEnd(id);
            assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
            assertTrue(done.getString("reasons[0]").contains("customer reports"), done.getString("reasons[0]"));
            Thread.sleep(300);
            assertAtMostOneOutOfService(watcher);
        }
        assertFleetServes("1.1.0");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).post(release("/api/v1/deployments/" + lastDeploymentId + "/rollback"))
                .then().statusCode(409);
    }

    @Test
    @Order(6)
    void anOperatorAbortsARunningDeploymentAndOnlyTheBatchInFlightIsRestored() throws Exception {
        try (FleetWatcher watcher = watch()) {
            String id = deploy("1.4.0");
            awaitTimeline(id, "back in service");
            given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"reason\":\"stop here\"}")
                    .post(release("/api/v1/deployments/" + id + "/abort")).then().statusCode(202);
            JsonPath done = awaitEnd(id);
            assertEquals("ABORTED", done.getString("status"), done.prettify());
            Thread.sleep(300);
            assertAtMostOneOutOfService(watcher);
        }
        List<String> versions = servedVersions();
        assertEquals(REPLICAS, versions.size());
        assertTrue(versions.stream().allMatch(v -> v.equals("1.1.0") || v.equals("1.4.0")), versions.toString());
        assertTrue(versions.contains("1.4.0"), "the batches finished before the abort keep 1.4.0: " + versions);
    }

    @Test
    @Order(7)
    void everyServiceRefusesCallersWithoutTheRightToken() {
        for (String service : Platform.SERVICES) {
            String path = switch (service) {
                case "release-service" -> "/api/v1/deployments";
                case "rollout-service" -> "/api/v1/sagas";
                case "inventory-service" -> "/api/v1/instances";
                default -> "/api/v1/verdicts?deployment=x";
            };
            io.restassured.RestAssured.given().get(platform.url(service) + path).then().statusCode(401)
                    .contentType("application/problem+json");
            io.restassured.RestAssured.given().auth().oauth2(TestTokens.expired("eve", "admin"))
                    .get(platform.url(service) + path).then().statusCode(401);
            io.restassured.RestAssured.given().auth().oauth2(TestTokens.forged("eve", "admin"))
                    .get(platform.url(service) + path).then().statusCode(401);
        }
        // a staging deployer cannot touch production, not even its fleet
        io.restassured.RestAssured.given().auth().oauth2(TestTokens.token("dora", "deployer:staging"))
                .contentType(ContentType.JSON).body("{\"replicas\":1}")
                .put(inventory("/api/v1/fleets/" + SERVICE + "/production")).then().statusCode(403);
        io.restassured.RestAssured.given().auth().oauth2(TestTokens.token("vic", "viewer"))
                .get(inventory("/api/v1/instances?service=" + SERVICE)).then().statusCode(200);
    }

    @Test
    @Order(8)
    void badInputGetsANamedClientError() {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":-1}")
                .put(inventory("/api/v1/fleets/" + SERVICE + "/" + ENV)).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("replicas"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"shop","version":"1.1.0","environment":"staging","strategy":{"type":"big-bang"}}
                """).post(release("/api/v1/deployments")).then().statusCode(400)
                .body("errors.field", hasItem("strategy.type"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(releaseBody("1.9.0", Map.of(), "ab".repeat(32)))
                .post(release("/api/v1/releases")).then().statusCode(422).body("errors.field", hasItem("artifact.uri"));
    }

    /**
     * What the deployments above told CDEvents consumers on stagecraft.cdevents, each record validated against its
     * schema in ../shared/specs/cdevents: 1.0.0 deployed, 1.1.0 upgraded, the three rollbacks (1.2.0, 1.3.0, the
     * operator's 1.4.0) each an incident detected and resolved with the service rolled back to 1.1.0, the abort an
     * incident resolved without a rollback, the releases published; then an environment created and modified, and
     * the fleet scaled to 0: service.removed.
     */
    @Test
    @Order(9)
    void cdEventsTellAnyConsumerWhatTheDeploymentsDid() throws Exception {
        String env = "cdevents-e2e";
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"order\":95}")
                .put(release("/api/v1/environments/" + env)).then().statusCode(200);
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"order\":96}")
                .put(release("/api/v1/environments/" + env)).then().statusCode(200);
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":0}")
                .put(inventory("/api/v1/fleets/" + SERVICE + "/" + ENV)).then().statusCode(200);
        long t0 = System.nanoTime();
        List<ConsumerRecord<String, String>> records;
        try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.kafkaBootstrapServers())) {
            kafka.await("stagecraft.cdevents", r -> SERVICE.equals(r.key())
                    && "dev.cdevents.service.removed.0.3.0".equals(CloudEventsTestClient.header(r, "ce_type")),
                    Duration.ofSeconds(60));
            records = kafka.readAll("stagecraft.cdevents", Duration.ofSeconds(2));
        }
        CdEventSchemas schemas = CdEventSchemas.load();
        List<String> invalid = new ArrayList<>();
        Map<String, List<JsonPath>> shop = new java.util.TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            String type = CloudEventsTestClient.header(r, "ce_type");
            schemas.problems(type, r.value()).forEach(p -> invalid.add(type + " " + r.key() + ": " + p));
            if (SERVICE.equals(r.key()) || env.equals(r.key())) {
                shop.computeIfAbsent(type.replaceFirst("^dev\\.cdevents\\.", ""), k -> new ArrayList<>())
                        .add(JsonPath.from(r.value()));
            }
        }
        assertEquals(List.of(), invalid, "every one of the " + records.size() + " CDEvents holds to its schema");
        String v110 = "pkg:generic/shop@1.1.0?checksum=sha256:" + artifactSha;
        assertEquals(List.of("artifact.published.0.3.0", "environment.created.0.3.0", "environment.modified.0.3.0",
                "incident.detected.0.3.0", "incident.resolved.0.3.0", "service.deployed.0.3.0",
                "service.removed.0.3.0", "service.rolledback.0.3.0", "service.upgraded.0.3.0"),
                List.copyOf(shop.keySet()), "the nine types");
        assertEquals(List.of("pkg:generic/shop@1.0.0?checksum=sha256:" + artifactSha),
                subjects(shop, "service.deployed.0.3.0", "subject.content.artifactId"));
        assertTrue(subjects(shop, "service.upgraded.0.3.0", "subject.content.artifactId").contains(v110));
        assertEquals(java.util.Collections.nCopies(3, v110),
                subjects(shop, "service.rolledback.0.3.0", "subject.content.artifactId"), "three rollbacks to 1.1.0");
        // 1.2.0, 1.3.0 and 1.4.0 rolled back, and the abort of 1.4.0, which restores its batch in flight
        assertEquals(4, shop.get("incident.detected.0.3.0").size(),
                subjects(shop, "incident.detected.0.3.0", "subject.content.description").toString());
        assertEquals(new java.util.TreeSet<>(subjects(shop, "incident.detected.0.3.0", "subject.id")),
                new java.util.TreeSet<>(subjects(shop, "incident.resolved.0.3.0", "subject.id")), "each one resolved");
        assertEquals(List.of(ENV), subjects(shop, "service.removed.0.3.0", "subject.content.environment.id"));
        figures.add(String.format("CDEvents: %d on stagecraft.cdevents, every one valid against its schema; nine types"
                + " for %s (read in %.1f s after the fleet was scaled to 0)", records.size(), SERVICE, secondsSince(t0)));
    }

    private static List<String> subjects(Map<String, List<JsonPath>> events, String type, String path) {
        return events.getOrDefault(type, List.of()).stream().map(e -> e.getString(path)).toList();
    }

    // --- helpers ---------------------------------------------------------------------------------

    static String lastDeploymentId;

    private static void createRelease(String version, Map<String, String> config) {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(releaseBody(version, config, artifactSha))
                .post(release("/api/v1/releases")).then().statusCode(201);
    }

    private static String releaseBody(String version, Map<String, String> config, String sha) {
        StringBuilder cfg = new StringBuilder();
        config.forEach((k, v) -> cfg.append(cfg.isEmpty() ? "" : ",").append('"').append(k).append("\":\"")
                .append(v).append('"'));
        return """
                {"service":"%s","version":"%s","artifact":{"uri":"%s","sha256":"%s"},"config":{%s}}
                """.formatted(SERVICE, version, artifactUri, sha, cfg);
    }

    private static String deploy(String version) {
        lastDeploymentId = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"%s","version":"%s","environment":"%s","strategy":{"type":"rolling","maxUnavailable":1}}
                """.formatted(SERVICE, version, ENV)).post(release("/api/v1/deployments"))
                .then().statusCode(202).extract().path("id");
        return lastDeploymentId;
    }

    private static JsonPath deployAndWait(String version) {
        return awaitEnd(deploy(version));
    }

    private static JsonPath awaitEnd(String id) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath d = given().auth().oauth2(TestTokens.admin()).get(release("/api/v1/deployments/" + id)).then().statusCode(200).extract().jsonPath();
            if (List.of("SUCCEEDED", "ROLLED_BACK", "FAILED", "ABORTED", "REJECTED").contains(d.getString("status"))) {
                return d;
            }
            sleep(200);
        }
        throw new AssertionError("deployment " + id + " did not end: "
                + given().auth().oauth2(TestTokens.admin()).get(release("/api/v1/deployments/" + id)).asPrettyString());
    }

    private static void awaitTimeline(String id, String fragment) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> messages = given().auth().oauth2(TestTokens.admin()).get(release("/api/v1/deployments/" + id)).then().extract()
                    .path("timeline.message");
            if (messages.stream().anyMatch(m -> m.contains(fragment))) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("no '" + fragment + "' in the timeline of " + id);
    }

    private static Instant failingVerdictTime(String deploymentId) {
        List<Map<String, Object>> verdicts = given().auth().oauth2(TestTokens.admin()).get(platform.url("health-monitor") + "/api/v1/verdicts?deployment="
                + deploymentId).then().statusCode(200).extract().path("$");
        return verdicts.stream().filter(v -> "FAIL".equals(v.get("result"))).map(v -> Instant.parse((String) v.get("at")))
                .findFirst().orElseThrow(() -> new AssertionError("no FAIL verdict for " + deploymentId));
    }

    private static FleetWatcher watch() {
        return new FleetWatcher(platform.url("inventory-service"), SERVICE, ENV, WATCH_LIMIT);
    }

    private static void assertAtMostOneOutOfService(FleetWatcher watcher) {
        assertTrue(watcher.samples().size() > 10, "too few samples to judge: " + watcher.samples().size());
        int min = watcher.minInService();
        assertTrue(min >= REPLICAS - 1, "at some point only " + min + " of " + REPLICAS + " instances were in"
                + " service; samples: " + watcher.samples().stream().filter(s -> s.inService() < REPLICAS - 1).toList());
    }

    private static List<String> servedVersions() {
        List<String> addresses = given().auth().oauth2(TestTokens.admin()).get(inventory("/api/v1/instances?service=" + SERVICE + "&environment=" + ENV))
                .then().statusCode(200).extract().path("address");
        try (FleetWatcher probe = new FleetWatcher(platform.url("inventory-service"), SERVICE, ENV, Duration.ZERO)) {
            return addresses.stream().map(probe::servedVersion).toList();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertFleetServes(String version) {
        List<Map<String, Object>> instances = given().auth().oauth2(TestTokens.admin()).get(inventory("/api/v1/instances?service=" + SERVICE
                + "&environment=" + ENV)).then().statusCode(200).extract().path("$");
        assertEquals(REPLICAS, instances.size(), instances.toString());
        instances.forEach(i -> {
            assertEquals("IN_SERVICE", i.get("state"), i.toString());
            assertEquals(version, i.get("version"), i.toString());
            long pid = ((Number) i.get("pid")).longValue();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "no live process " + i);
        });
        assertEquals(java.util.Collections.nCopies(REPLICAS, version), servedVersions());
    }

    private static String release(String path) {
        return platform.url("release-service") + path;
    }

    private static String inventory(String path) {
        return platform.url("inventory-service") + path;
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void report() throws Exception {
        StringBuilder out = new StringBuilder("\n=== Stagecraft end-to-end figures ===\n");
        figures.forEach(f -> out.append("  ").append(f).append('\n'));
        System.out.println(out);
        Files.writeString(platform.workDir.resolve("figures.txt"), out.toString());
    }
}
