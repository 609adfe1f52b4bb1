package dev.stagecraft.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.devinfra.GrafanaDashboards;

/**
 * What deploy/observability ships, read for the tests: the dashboards' queries (Grafana's variables replaced by
 * values Prometheus accepts), the alert rules' expressions, and the metric names both use.
 */
final class ObservabilityConfig {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path DIR = ROOT.resolve("deploy/observability");
    /** Longest first: $__range_s before $__range. */
    private static final Map<String, String> GRAFANA_VARIABLES = new LinkedHashMap<>();
    static {
        GRAFANA_VARIABLES.put("$__range_s", "3600");
        GRAFANA_VARIABLES.put("$__rate_interval", "1m");
        GRAFANA_VARIABLES.put("$__range", "1h");
        GRAFANA_VARIABLES.put("$service", ".*");
        GRAFANA_VARIABLES.put("$environment", ".*");
        GRAFANA_VARIABLES.put("$component", ".*");
    }
    private static final Pattern METRIC = Pattern.compile(
            "\\b(stagecraft_[a-z0-9_]+|jvm_[a-z0-9_]+|process_[a-z0-9_]+|http_server_[a-z0-9_]+|kafka_[a-z0-9_]+)\\b");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");

    record Query(String dashboard, int panelId, String panel, String expr) {
    }

    static List<Path> dashboards() {
        return GrafanaDashboards.under(ROOT);
    }

    static JsonNode read(Path dashboard) {
        return GrafanaDashboards.read(dashboard);
    }

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        return GrafanaDashboards.panels(dashboard);
    }

    /** Every query, Grafana's variables replaced by values Prometheus accepts. */
    static List<Query> queries(Path dashboard) {
        return GrafanaDashboards.queries(dashboard).stream()
                .map(q -> new Query(q.dashboard(), q.panelId(), q.panel(), prometheusReady(q.expr()))).toList();
    }

    /** The variables' own queries ({@code label_values(metric, label)}): the metrics they name. */
    static List<String> variableQueries(Path dashboard) {
        List<String> list = new ArrayList<>();
        read(dashboard).path("templating").path("list").forEach(v -> {
            if ("query".equals(v.path("type").asText())) {
                list.add(v.path("query").path("query").asText());
            }
        });
        return list;
    }

    static String prometheusReady(String expr) {
        String ready = expr;
        for (Map.Entry<String, String> e : GRAFANA_VARIABLES.entrySet()) {
            ready = ready.replace(e.getKey(), e.getValue());
        }
        return ready;
    }

    static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(QUOTED.matcher(expr).replaceAll("\"\""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The expressions of the alert rules. */
    static List<String> ruleExpressions() throws IOException {
        List<String> exprs = new ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        try (Stream<Path> files = Files.list(DIR.resolve("prometheus/rules"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                yaml.readTree(file.toFile()).path("groups").forEach(g -> g.path("rules")
                        .forEach(r -> exprs.add(r.path("expr").asText())));
            }
        }
        return exprs;
    }

    private ObservabilityConfig() {
    }
}
