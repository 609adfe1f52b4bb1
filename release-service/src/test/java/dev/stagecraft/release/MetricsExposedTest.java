package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * No dashboard query and no alert rule names a metric that does not exist. Metrics release-service exposes itself
 * (its own, the platform's shared ones, JVM, HTTP and Kafka client metrics) must be in its live {@code /q/metrics}
 * after a little traffic; those of the other services and of the instances must be registered in their sources
 * (read as text: those services do not run here).
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class MetricsExposedTest {
    private static final List<String> LIVE_PREFIXES = List.of("jvm_", "process_", "http_server_requests_seconds",
            "kafka_consumer_");

    @BeforeAll
    static void setUp() throws Exception {
        DeploymentFlowTest.setUp();
    }

    @AfterAll
    static void tearDown() {
        DeploymentFlowTest.tearDown();
    }

    @Test
    void everyMetricTheDashboardsAndAlertsNameExists() throws Exception {
        // Traffic that makes the lazily registered meters appear: a deployment that ends, one that runs, an alert.
        DeploymentFlowTest.release("gauge", "1.0.0");
        DeploymentFlowTest.release("gauge", "1.1.0");
        String ended = DeploymentFlowTest.deploy("gauge", "1.0.0", "development");
        DeploymentFlowTest.lifecycle(ended, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started", "m-s-" + ended);
        DeploymentFlowTest.lifecycle(ended, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "done", "m-d-" + ended);
        BakeAndAlertRollbackTest.awaitStatus(ended, "SUCCEEDED");
        DeploymentFlowTest.deploy("gauge", "1.1.0", "development");
        given().auth().oauth2(BakeAndAlertRollbackTest.TOKEN).contentType(ContentType.JSON)
                .body(BakeAndAlertRollbackTest.notification("firing", "Probe", "gauge", "development"))
                .post(BakeAndAlertRollbackTest.ALERTS).then().statusCode(200);

        Set<String> used = new TreeSet<>();
        for (Path dashboard : ObservabilityConfig.dashboards()) {
            ObservabilityConfig.queries(dashboard).forEach(q -> used.addAll(ObservabilityConfig.metricNames(q.expr())));
            ObservabilityConfig.variableQueries(dashboard).forEach(q -> used.addAll(ObservabilityConfig.metricNames(q)));
        }
        ObservabilityConfig.ruleExpressions().forEach(e -> used.addAll(ObservabilityConfig.metricNames(e)));
        String ownSources = sources(List.of("release-service", "platform"));
        String otherSources = sources(List.of("rollout-service", "inventory-service", "health-monitor", "sample-app"));

        List<String> live = used.stream().filter(n -> LIVE_PREFIXES.stream().anyMatch(n::startsWith)
                || registeredIn(ownSources, n)).toList();
        List<String> elsewhere = used.stream().filter(n -> !live.contains(n)).toList();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Set<String> exposed = exposed();
            assertEquals(List.of(), live.stream().filter(n -> !exposed.contains(n)).toList(),
                    "named by a dashboard or rule but not in release-service's /q/metrics");
        });
        assertEquals(List.of(), elsewhere.stream().filter(n -> !registeredIn(otherSources, n)).toList(),
                "named by a dashboard or rule but registered nowhere");
        // the gauges read from the database and the broker have read them (NaN until they do)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String text = given().get("/q/metrics").then().extract().asString();
            for (String gauge : List.of("stagecraft_outbox_backlog", "stagecraft_outbox_oldest_seconds", "stagecraft_dead_letters")) {
                String line = text.lines().filter(l -> l.startsWith(gauge + " ") || l.startsWith(gauge + "{")).findFirst()
                        .orElseThrow(() -> new AssertionError(gauge + " missing"));
                org.junit.jupiter.api.Assertions.assertFalse(line.endsWith("NaN"), line);
            }
        });
        System.out.printf("metrics named by dashboards and rules: %d; %d seen live in release-service's /q/metrics, %d"
                + " found registered in the other services' sources: %s%n", used.size(), live.size(), elsewhere.size(), elsewhere);
    }

    static Set<String> exposed() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Registered under this Prometheus name: Micrometer's dotted or underscored name, without the suffixes it adds. */
    static boolean registeredIn(String sources, String name) {
        List<String> bases = new ArrayList<>(List.of(name));
        for (String suffix : List.of("_total", "_bucket", "_sum", "_count", "_max")) {
            if (name.endsWith(suffix)) {
                bases.add(name.substring(0, name.length() - suffix.length()));
            }
        }
        return bases.stream().anyMatch(b -> sources.contains("\"" + b + "\"") || sources.contains("\"" + b + "{")
                || sources.contains("\"" + b.replace('_', '.') + "\""));
    }

    private static String sources(List<String> modules) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String module : modules) {
            try (Stream<Path> files = Files.walk(ObservabilityConfig.ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(f)).append('\n');
                }
            }
        }
        return all.toString();
    }
}
