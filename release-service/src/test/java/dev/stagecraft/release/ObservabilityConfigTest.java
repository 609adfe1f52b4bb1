package dev.stagecraft.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.devinfra.DebianPackages;

/**
 * deploy/observability checked with the real tools: {@code promtool check config}, {@code check rules} and
 * {@code test rules} (a unit test per alert), {@code amtool check-config}, and every query of every dashboard parsed
 * by promtool (as a recording rule) with unique panel ids. Which metrics the queries name, and that they exist, is
 * {@code MetricsExposedTest}'s.
 */
class ObservabilityConfigTest {
    static Path promtool;
    static Path amtool;

    @BeforeAll
    static void tools() {
        try {
            promtool = DebianPackages.ensure("prometheus").resolveSibling("promtool");
            amtool = DebianPackages.ensure("prometheus-alertmanager").resolveSibling("amtool");
        } catch (IllegalStateException e) {
            Assumptions.abort("Debian's prometheus / prometheus-alertmanager packages cannot be had here ("
                    + e.getMessage() + "): deploy/observability is not checked");
        }
    }

    @Test
    void theRulesAreValidAndEveryAlertPassesItsUnitTests() throws Exception {
        run(ObservabilityConfig.DIR.resolve("prometheus/rules"), promtool.toString(), "check", "rules", "stagecraft.yml");
        String tests = run(ObservabilityConfig.DIR.resolve("prometheus/tests"), promtool.toString(), "test", "rules",
                "stagecraft.test.yml");
        assertTrue(tests.contains("SUCCESS"), tests);
    }

    @Test
    void prometheusAndAlertmanagerConfigurationsAreValid(@TempDir Path dir) throws Exception {
        // As deploy/local/up renders it: the rule files where they are, a credentials file that exists.
        Path token = Files.writeString(dir.resolve("token"), "t");
        String config = Files.readString(ObservabilityConfig.DIR.resolve("prometheus/prometheus.yml"))
                .replace("/etc/prometheus/rules/", ObservabilityConfig.DIR.resolve("prometheus/rules") + "/")
                .replace("/etc/prometheus/secrets/inventory-sd-token", token.toString());
        Path rendered = Files.writeString(dir.resolve("prometheus.yml"), config);
        String checked = run(dir, promtool.toString(), "check", "config", rendered.toString());
        assertTrue(checked.contains("SUCCESS: 1 rule files found") && checked.contains("SUCCESS: 10 rules found"), checked);
        run(dir, amtool.toString(), "check-config", ObservabilityConfig.DIR.resolve("alertmanager/alertmanager.yml").toString());
    }

    @Test
    void everyDashboardQueryParsesAndPanelIdsAreUnique(@TempDir Path dir) throws Exception {
        List<Path> dashboards = ObservabilityConfig.dashboards();
        assertEquals(3, dashboards.size(), dashboards.toString());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int count = 0;
        for (Path dashboard : dashboards) {
            JsonNode board = ObservabilityConfig.read(dashboard);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : ObservabilityConfig.panels(board)) {
                assertTrue(ids.add(panel.path("id").asInt()), dashboard + ": panel id " + panel.path("id") + " twice");
                if (!"row".equals(panel.path("type").asText())) {
                    assertEquals("${DS_PROMETHEUS}", panel.path("datasource").path("uid").asText(),
                            dashboard + ": panel " + panel.path("title") + " must use the DS_PROMETHEUS input");
                    assertTrue(panel.path("targets").size() > 0, dashboard + ": panel " + panel.path("title") + " has no query");
                }
            }
            for (ObservabilityConfig.Query q : ObservabilityConfig.queries(dashboard)) {
                assertTrue(!q.expr().isBlank(), q.toString());
                rules.append("      - record: dashboard:query_").append(++count).append('\n')
                        .append("        expr: '").append(q.expr().replace("'", "''")).append("'\n");
            }
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules.toString());
        String checked = run(dir, promtool.toString(), "check", "rules", file.toString());
        assertTrue(checked.contains("SUCCESS: " + count + " rules found"), checked);
        System.out.printf("dashboards: %d queries in %d dashboards parsed by promtool%n", count, dashboards.size());
    }

    static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }
}
