package dev.stagecraft.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.stagecraft.devinfra.GrafanaDashboards;
import dev.stagecraft.devinfra.LoadLoop;
import dev.stagecraft.devinfra.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * deploy/observability against the real thing: the real Prometheus and Alertmanager that run beside the shared
 * platform from its start ({@link PrometheusStack}, configured from the shipped files), after the deployments of
 * the classes that sort before this one (canaries, the CLI's, kill and restart) and of this class.
 * <ol>
 * <li>A release that fails its users once it is out, during its environment's bake time: Prometheus' alert rule
 * fires, Alertmanager delivers it to release-service's receiver, and Stagecraft rolls back by itself.</li>
 * <li>Every query of every panel of the three dashboards returns data through Prometheus' HTTP API, while a canary
 * is held (the live rollout dashboard is about running deployments). Only what is still missing is run first.</li>
 * </ol>
 * The rendered configuration shortens intervals and the rules' {@code for:} (see {@link PrometheusStack}); every
 * expression, route and receiver is the shipped one.
 */
@ExtendWith(SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityEndToEndTest {
    private static final String BAKE_ENV = "obs-bake";
    private static final String ENV = "staging";
    private static final String ALERT = "StagecraftServiceErrorRate";

    static Platform platform;
    static PlatformApi api;
    static PrometheusStack prometheus;
    static HttpServer webhookReceiver;
    static String webhookId;
    static final AtomicInteger webhooksReceived = new AtomicInteger();

    @BeforeAll
    static void start(Platform shared) throws Exception {
        platform = shared;
        api = new PlatformApi(platform);
        prometheus = SharedPlatform.prometheus();
        // a webhook subscriber, so that the delivery panel has deliveries to show
        webhookReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhookReceiver.createContext("/hook", exchange -> {
            webhooksReceived.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhookReceiver.start();
        webhookId = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"url":"http://127.0.0.1:%d/hook","secret":"observability-e2e-webhook-secret","events":["*"]}
                """.formatted(webhookReceiver.getAddress().getPort())).post(api.release("/api/v1/webhooks"))
                .then().statusCode(201).extract().path("id");
    }

    @AfterAll
    static void stop() {
        if (webhookId != null) {
            // the classes after this one share the platform: no deliveries to a receiver that is gone
            given().auth().oauth2(TestTokens.admin()).delete(api.release("/api/v1/webhooks/" + webhookId)).then()
                    .statusCode(204);
        }
        if (webhookReceiver != null) {
            webhookReceiver.stop(0);
        }
    }

    @Test
    @Order(1)
    void anAlertDuringTheBakeRollsTheReleaseBackByItself() {
        String service = "obs-bake";
        environment(BAKE_ENV, 91, null);
        String routerUrl = api.fleetRunning100(service, BAKE_ENV, 2, "{\"type\":\"rolling\",\"maxUnavailable\":\"100%\"}");
        // From now on a release rolled out here bakes for 10 minutes: the alert has that long to roll it back.
        environment(BAKE_ENV, 91, "10m");
        // 2.0.0 answers 500 to half of GET /; its health checks pass, so the rollout itself succeeds.
        api.release(service, "2.0.0", Map.of("SAMPLE_ERROR_RATE", "0.5"));
        String id = api.deploy(service, "2.0.0", BAKE_ENV, "{\"type\":\"rolling\",\"maxUnavailable\":\"50%\"}");
        JsonPath baking = api.awaitStatus(id, "BAKING");
        assertEquals("BAKING", baking.getString("status"), baking.prettify());

        Instant firingSeen;
        Instant activeAt;
        Instant rollingBackSeen = null;
        Instant oldServing = null;
        // Users arrive once it is out: the release fails them after SUCCEEDED, during the bake.
        try (LoadLoop users = LoadLoop.start(routerUrl, 2, 1_000_000, Duration.ofMinutes(4), Duration.ofMillis(20))) {
            JsonNode alert = awaitFiring(service, Duration.ofMinutes(2));
            firingSeen = Instant.now();
            activeAt = Instant.parse(alert.path("activeAt").asText());
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                String status = api.deployment(id).getString("status");
                if (rollingBackSeen == null && !"BAKING".equals(status)) {
                    rollingBackSeen = Instant.now();
                }
                LoadLoop.Result probe = LoadLoop.run(routerUrl, 2, 40, Duration.ofSeconds(10));
                if (probe.failed() == 0 && Map.of("1.0.0", 40).equals(probe.versions())) {
                    oldServing = Instant.now();
                    break;
                }
                PlatformApi.sleep(100);
            }
            users.stop();
        }
        assertTrue(oldServing != null, "1.0.0 never served alone again after the alert");
        JsonPath done = api.awaitEnd(id);
        assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
        String timeline = String.join("\n", PlatformApi.timeline(done));
        assertThat(timeline, containsString(ALERT));
        assertThat(timeline, containsString(PrometheusStack.RECEIVER));
        JsonPath fleet = api.instances(service, BAKE_ENV);
        assertEquals(List.of("1.0.0", "1.0.0"), fleet.getList("version", String.class), fleet.prettify());
        // Prometheus fires an alert when it has been active (pending) for its rule's for: (5 s in this rendering).
        Instant firing = activeAt.plus(Duration.ofSeconds(5));
        System.out.printf("alert rollback: %s pending at %s, firing at %s (seen %s), deployment left BAKING by %s,"
                + " 1.0.0 serving alone at %s: %.1f s from the alert firing to the old version serving%n", ALERT,
                activeAt, firing, firingSeen, rollingBackSeen, oldServing,
                Duration.between(firing, oldServing).toMillis() / 1000.0);
    }

    @Test
    @Order(2)
    void everyQueryOfEveryDashboardPanelReturnsData() {
        if (!hasData("stagecraft_rollbacks_total")) {
            // no saga rolled back yet (this class ran alone): a release whose readiness never comes
            String service = "obs-failing";
            api.fleetRunning100(service, ENV, 1, "{\"type\":\"rolling\"}");
            api.release(service, "1.0.1", Map.of("SAMPLE_READY_FAIL", "true"));
            JsonPath failed = api.awaitEnd(api.deploy(service, "1.0.1", ENV, "{\"type\":\"rolling\"}"));
            assertEquals("ROLLED_BACK", failed.getString("status"), failed.prettify());
        }
        // The live rollout dashboard is opened during a deployment: a canary held at 50% after its analysis.
        String service = "obs-canary";
        String routerUrl = api.fleetRunning100(service, ENV, 1, "{\"type\":\"rolling\"}");
        api.release(service, "2.0.0", Map.of());
        String id;
        try (LoadLoop users = LoadLoop.start(routerUrl, 2, 1_000_000, Duration.ofMinutes(3), Duration.ofMillis(20))) {
            id = api.deploy(service, "2.0.0", ENV, """
                    {"type":"canary","steps":[{"weight":50,"analysis":"3s","pause":true},{"weight":100}],
                     "analysis":{"minRequests":10,"interval":"1s"}}""");
            JsonPath held = api.awaitStatus(id, "PAUSED");
            assertEquals("PAUSED", held.getString("status"), held.prettify());
            // two scrapes of everything, and a DORA refresh, after the hold
            PlatformApi.sleep(5_000);
            checkEveryQuery();
            users.stop();
        }
        assertEquals(202, api.steer(id, "rollback", "{\"reason\":\"the dashboards are checked\"}"));
        JsonPath done = api.awaitEnd(id);
        assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
        assertTrue(webhooksReceived.get() > 0, "the webhook subscriber received nothing");
    }

    private void checkEveryQuery() {
        Instant end = Instant.now();
        Instant start = prometheus.startedAt;
        long rangeSeconds = Duration.between(start, end).toSeconds() + 1;
        Duration step = Duration.ofSeconds(Math.max(5, rangeSeconds / 300));
        // Grafana's $__rate_interval: the larger of four scrape intervals and one step plus a scrape interval
        long scrape = Duration.parse("PT" + PrometheusStack.SCRAPE).toSeconds();
        long rateInterval = Math.max(4 * scrape, step.toSeconds() + scrape);
        Map<String, String> variables = new LinkedHashMap<>(); // longest first: $__range_s before $__range
        variables.put("$__range_s", Long.toString(rangeSeconds));
        variables.put("$__rate_interval", rateInterval + "s");
        variables.put("$__range", rangeSeconds + "s");
        variables.put("$service", ".*"); // the variables' "All"
        variables.put("$environment", ".*");
        variables.put("$component", ".*");
        int checked = 0;
        List<String> empty = new ArrayList<>();
        for (var dashboard : GrafanaDashboards.under(platform.root)) {
            for (GrafanaDashboards.Query q : GrafanaDashboards.queries(dashboard)) {
                String expr = q.expr();
                for (Map.Entry<String, String> v : variables.entrySet()) {
                    expr = expr.replace(v.getKey(), v.getValue());
                }
                JsonNode data = q.instant() ? prometheus.query(expr, end) : prometheus.queryRange(expr, start, end, step);
                checked++;
                int values = numericValues(data);
                if (values == 0) {
                    empty.add(q.dashboard() + " #" + q.panelId() + " '" + q.panel() + "' ("
                            + (q.instant() ? "instant" : "range") + "): " + expr + " -> " + data);
                }
            }
        }
        System.out.printf("dashboards: %d queries run through Prometheus (range %d s, step %d s, rate interval %d s);"
                + " %d returned no data%n", checked, rangeSeconds, step.toSeconds(), rateInterval, empty.size());
        assertEquals(List.of(), empty, "queries that returned no data:\n" + String.join("\n", empty));
        assertTrue(checked >= 41, "only " + checked + " queries");
    }

    /** Samples in a query answer that are numbers (NaN, "no value", counts as none). */
    private static int numericValues(JsonNode data) {
        int n = 0;
        for (JsonNode series : data.path("result")) {
            List<JsonNode> samples = new ArrayList<>();
            if (series.has("value")) {
                samples.add(series.path("value"));
            }
            series.path("values").forEach(samples::add);
            for (JsonNode sample : samples) {
                String value = sample.path(1).asText();
                if (!value.equals("NaN") && !value.isEmpty()) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean hasData(String metric) {
        long seconds = Duration.between(prometheus.startedAt, Instant.now()).toSeconds() + 1;
        return prometheus.query("max_over_time(" + metric + "[" + seconds + "s])", Instant.now()).path("result").size() > 0;
    }

    private static JsonNode awaitFiring(String service, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode alert : prometheus.alerts()) {
                if (ALERT.equals(alert.path("labels").path("alertname").asText())
                        && service.equals(alert.path("labels").path("service").asText())
                        && "firing".equals(alert.path("state").asText())) {
                    return alert;
                }
            }
            PlatformApi.sleep(200);
        }
        throw new AssertionError(ALERT + " never fired for " + service + " within " + timeout + "; alerts: "
                + prometheus.alerts());
    }

    private static void environment(String name, int order, String bakeTime) {
        String bake = bakeTime == null ? "" : ",\"bakeTime\":\"" + bakeTime + "\"";
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"order\":" + order + bake + "}")
                .put(api.release("/api/v1/environments/" + name)).then().statusCode(200);
    }
}
