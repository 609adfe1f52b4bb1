package dev.stagecraft.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretScope;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Issue 9, the reported attack, step by step through the public API of the whole platform: an admin gives
 * production a DB_PASSWORD secret and deploys shop there; a viewer reads the saga (and every other view); a
 * deployer:staging creates release 6.6.6 with a sealed value in its config, over REST and over Kafka, and tries
 * again with the captured command token. Every step must be refused or show "***"; the attempts that were wrongly
 * accepted are counted (goal 0) and printed. The driver and sealing levels (a sealed value forged into a step
 * command or another environment's secrets) are covered by InstanceVariablesTest and SecretBoxTest.
 */
@ExtendWith(SharedPlatform.class)
class SecretsAttackEndToEndTest {
    private static final String SERVICE = "payroll";
    private static final String PASSWORD = "pr0d-db-pa55word-" + UUID.randomUUID();
    private static final String STRATEGY = "{\"type\":\"rolling\",\"maxUnavailable\":1}";

    static Platform platform;
    static PlatformApi api;
    static final List<String> tried = new ArrayList<>();
    static final List<String> wronglyAccepted = new ArrayList<>();

    @BeforeAll
    static void startPlatform(Platform shared) throws Exception {
        platform = shared;
        api = new PlatformApi(platform);
    }


    @Test
    void theReportedAttackIsRefusedAtEveryStep() throws Exception {
        // --- the admin's part: a production secret, and shop deployed with it (staging first: promotion rule)
        api.fleet(SERVICE, "staging", 1);
        api.fleet(SERVICE, "production", 1);
        api.release(SERVICE, "1.0.0", Map.of());
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"order\":30,\"requiresSuccessIn\":\"staging\",\"secrets\":{\"DB_PASSWORD\":\"" + PASSWORD + "\"}}")
                .put(api.release("/api/v1/environments/production")).then().statusCode(200);
        JsonPath staged = api.awaitEnd(api.deploy(SERVICE, "1.0.0", "staging", STRATEGY));
        assertEquals("SUCCEEDED", staged.getString("status"), staged.prettify());
        String production = api.deploy(SERVICE, "1.0.0", "production", STRATEGY);
        JsonPath deployed = api.awaitEnd(production);
        assertEquals("SUCCEEDED", deployed.getString("status"), deployed.prettify());
        // the secret does reach production's instance, opened: the feature still works
        assertEquals(PASSWORD, environmentOfInstance("production").get("DB_PASSWORD"));

        // --- step 1: a viewer reads the saga and every other view; none shows the value, sealed or plain
        String viewer = TestTokens.token("vic", "viewer");
        String saga = given().auth().oauth2(viewer).get(platform.url("rollout-service") + "/api/v1/sagas/" + production)
                .then().statusCode(200).extract().asString();
        check("viewer reads the saga: the secret shows as ***", saga.contains("\"DB_PASSWORD\":\"***\"")
                && clean(saga));
        Map<String, String> views = new LinkedHashMap<>();
        views.put("sagas", platform.url("rollout-service") + "/api/v1/sagas");
        views.put("deployment and timeline", api.release("/api/v1/deployments/" + production));
        views.put("deployments", api.release("/api/v1/deployments?environment=production"));
        views.put("environments", api.release("/api/v1/environments"));
        views.put("audit", api.release("/api/v1/audit?limit=1000"));
        views.put("releases", api.release("/api/v1/releases?service=" + SERVICE));
        views.put("instances", api.inventory("/api/v1/instances?service=" + SERVICE + "&environment=production"));
        views.put("fleet", api.inventory("/api/v1/fleets/" + SERVICE + "/production"));
        views.put("verdicts", platform.url("health-monitor") + "/api/v1/verdicts?deployment=" + production);
        views.forEach((what, url) -> check("viewer reads " + what + ": no secret, sealed or plain",
                clean(given().auth().oauth2(viewer).get(url).then().statusCode(200).extract().asString())));

        // --- step 2: deployer:staging creates 6.6.6 with a sealed value in its config (REST); a value sealed for
        // production with the platform's key stands in for one copied from anywhere, plus the old v1 format
        String deployer = TestTokens.token("dora", "deployer:staging");
        String stolen = SecretBox.ofBase64Key(StagecraftTestInfra.TEST_SECRETS_KEY).seal(PASSWORD,
                SecretScope.instance("production", SERVICE, "DB_PASSWORD"));
        for (String sealed : List.of(stolen, "sealed:v1:" + stolen.substring(stolen.lastIndexOf(':') + 1))) {
            Response refused = given().auth().oauth2(deployer).contentType(ContentType.JSON)
                    .body(releaseBody("6.6.6", sealed)).post(api.release("/api/v1/releases"));
            check("deployer:staging creates 6.6.6 with config.STOLEN sealed (" + sealed.substring(0, 10) + "…) over REST:"
                    + " 400 naming config.STOLEN", refused.statusCode() == 400
                    && refused.contentType().startsWith("application/problem+json")
                    && refused.asString().contains("config.STOLEN")
                    && refused.asString().contains("must not be a sealed value"));
        }

        // --- step 3: the same over Kafka (command create-release), then the captured token again for another command
        try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.kafkaBootstrapServers())) {
            String token = TestTokens.command("dora", "deployer:staging");
            String key = "attack-" + UUID.randomUUID();
            kafka.publishRaw("stagecraft.commands", key, releaseBody("6.6.6", stolen), command(key, token));
            JsonPath outcome = JsonPath.from(awaitOutcome(kafka, key).value());
            check("deployer:staging creates 6.6.6 with config.STOLEN sealed over Kafka: rejected naming config.STOLEN",
                    !outcome.getBoolean("accepted") && outcome.getString("detail").startsWith("invalid")
                            && outcome.prettify().contains("config.STOLEN"));
            String again = "attack-" + UUID.randomUUID();
            kafka.publishRaw("stagecraft.commands", again, releaseBody("6.6.7", "harmless"), command(again, token));
            JsonPath reuse = JsonPath.from(awaitOutcome(kafka, again).value());
            check("the captured command token used for another command: unauthorised: token already used",
                    !reuse.getBoolean("accepted") && "unauthorised: token already used".equals(reuse.getString("detail")));
            String longLived = "attack-" + UUID.randomUUID();
            kafka.publishRaw("stagecraft.commands", longLived, releaseBody("6.6.8", "harmless"),
                    command(longLived, TestTokens.token("dora", "deployer:staging")));
            JsonPath hour = JsonPath.from(awaitOutcome(kafka, longLived).value());
            check("an hour-long token on the commands topic: unauthorised", !hour.getBoolean("accepted")
                    && hour.getString("detail").startsWith("unauthorised"));
        }
        check("no release 6.6.x exists", given().auth().oauth2(viewer).get(api.release("/api/v1/releases?service="
                + SERVICE)).then().statusCode(200).extract().jsonPath().getList("version", String.class)
                .stream().noneMatch(v -> v.startsWith("6.6.")));

        // --- step 4: so the deployment of 6.6.6 to staging cannot even be asked for, and staging's instance
        // never holds production's password
        int deploy = given().auth().oauth2(deployer).contentType(ContentType.JSON).body("{\"service\":\"" + SERVICE
                + "\",\"version\":\"6.6.6\",\"environment\":\"staging\",\"strategy\":" + STRATEGY + "}")
                .post(api.release("/api/v1/deployments")).then().extract().statusCode();
        check("deployer:staging deploys 6.6.6 to staging: 422, no such release", deploy == 422);
        check("staging's instance does not hold production's password",
                !environmentOfInstance("staging").containsValue(PASSWORD));

        // --- step 5: nor may an admin put a sealed value into an environment's config or secrets
        for (String field : List.of("config", "secrets")) {
            Response refused = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                    .body("{\"order\":20,\"" + field + "\":{\"STOLEN\":\"" + stolen + "\"}}")
                    .put(api.release("/api/v1/environments/staging"));
            check("admin puts a sealed value in staging's " + field + ": 400 naming " + field + ".STOLEN",
                    refused.statusCode() == 400 && refused.asString().contains(field + ".STOLEN"));
        }

        // --- step 6: a CI system follows the topics it may read: no record there holds the value, sealed or plain.
        // (stagecraft.commands is left out: the platform never writes it, and the attacker's records above hold
        // the forged sealed value by design.) The saga's start, on the services-only topic, does hold it sealed:
        // the control that shows this check can see a sealed value where there is one.
        try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.kafkaBootstrapServers())) {
            for (String topic : List.of("stagecraft.deployments", "stagecraft.releases", "stagecraft.cdevents")) {
                List<ConsumerRecord<String, String>> records = kafka.readAll(topic, Duration.ofSeconds(5));
                List<String> leaks = records.stream().filter(r -> !clean(r.value()) || !clean(headers(r)))
                        .map(r -> CloudEventsTestClient.header(r, "ce_type") + " " + r.key()).toList();
                check("a follower reads all " + records.size() + " records of " + topic + ": none holds the secret,"
                        + " sealed or plain " + leaks, !records.isEmpty() && leaks.isEmpty());
            }
            ConsumerRecord<String, String> requested = kafka.await("stagecraft.deployments", r -> production.equals(
                    r.key()) && "dev.stagecraft.deployment.requested".equals(CloudEventsTestClient.header(r, "ce_type")),
                    Duration.ofSeconds(10));
            check("followers still see production's deployment.requested, DB_PASSWORD as ***",
                    JsonPath.from(requested.value()).getString("release.secrets.DB_PASSWORD").equals("***"));
            ConsumerRecord<String, String> start = kafka.await("stagecraft.saga-starts", r -> production.equals(r.key()),
                    Duration.ofSeconds(10));
            assertTrue(JsonPath.from(start.value()).getString("release.secrets.DB_PASSWORD").startsWith(SecretBox.SEALED),
                    "control: the services-only saga start carries the sealed value: " + start.value());
        }

        System.out.printf("%nsecrets attack: %d cases tried, %d wrongly accepted%n", tried.size(), wronglyAccepted.size());
        tried.forEach(t -> System.out.println("  " + (wronglyAccepted.contains(t) ? "ACCEPTED " : "refused  ") + t));
        Files.writeString(platform.workDir.resolve("secrets-figures.txt"), "secrets attack: " + tried.size()
                + " cases tried, " + wronglyAccepted.size() + " wrongly accepted\n" + String.join("\n", tried) + "\n");
        assertEquals(List.of(), wronglyAccepted);
        assertTrue(tried.size() >= 15, "cases tried: " + tried.size());
    }

    private static void check(String what, boolean refused) {
        tried.add(what);
        if (!refused) {
            wronglyAccepted.add(what);
        }
    }

    private static String headers(ConsumerRecord<String, String> record) {
        StringBuilder all = new StringBuilder();
        record.headers().forEach(h -> all.append(h.key()).append('=')
                .append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)).append('\n'));
        return all.toString();
    }

    /** Neither the plain value nor anything sealed. */
    private static boolean clean(String answer) {
        return !answer.contains(PASSWORD) && !answer.contains(SecretBox.SEALED);
    }

    private String releaseBody(String version, String stolenValue) {
        return """
                {"service":"%s","version":"%s","artifact":{"uri":"%s","sha256":"%s"},"config":{"STOLEN":"%s"}}"""
                .formatted(SERVICE, version, platform.sampleApp().toUri(), sha256(), stolenValue);
    }

    private static String sha256() {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(platform.sampleApp())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> command(String key, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", UUID.randomUUID().toString());
        headers.put("ce_source", "/ci/attacker");
        headers.put("ce_type", "dev.stagecraft.command.create-release");
        headers.put("ce_time", Instant.now().toString());
        headers.put("content-type", "application/json");
        headers.put("ce_idempotencykey", key);
        headers.put("authorization", "Bearer " + token);
        return headers;
    }

    private static ConsumerRecord<String, String> awaitOutcome(CloudEventsTestClient kafka, String key) {
        Predicate<ConsumerRecord<String, String>> answers = r -> {
            String type = CloudEventsTestClient.header(r, "ce_type");
            return type != null && type.startsWith("dev.stagecraft.command.") && r.value().contains("\"" + key + "\"");
        };
        return kafka.await("stagecraft.deployments", answers, Duration.ofSeconds(60));
    }

    private static Map<String, String> environmentOfInstance(String environment) throws IOException {
        long pid = api.instances(SERVICE, environment).getLong("[0].pid");
        String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                StandardCharsets.UTF_8);
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : raw.split("\0")) {
            if (kv.indexOf('=') > 0) {
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return env;
    }
}
