package dev.stagecraft.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboards deploy/observability ships, read for the tests that check them: the configuration checks
 * (release-service) and the end-to-end test that runs every query against a real Prometheus (e2e-tests).
 */
public final class GrafanaDashboards {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One query of one panel, as written in the dashboard (Grafana's variables still in it). {@code instant}: the
     * panel shows one value per series (stat, table), else a range over the dashboard's time.
     */
    public record Query(String dashboard, int panelId, String panel, String expr, boolean instant) {
    }

    /** The dashboards' JSON files under {@code deploy/observability/grafana/dashboards} of the project at root. */
    public static List<Path> under(Path projectRoot) {
        try (Stream<Path> files = Files.list(projectRoot.resolve("deploy/observability/grafana/dashboards"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path dashboard) {
        try {
            return JSON.readTree(dashboard.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(dashboard + " is not valid JSON", e);
        }
    }

    /** Every panel, rows' nested panels included. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            all.add(p);
            p.path("panels").forEach(all::add);
        });
        return all;
    }

    /** Every query of every panel, in the dashboard's order. */
    public static List<Query> queries(Path dashboard) {
        JsonNode board = read(dashboard);
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(board)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(dashboard.getFileName().toString(), panel.path("id").asInt(),
                        panel.path("title").asText(), target.path("expr").asText(),
                        target.path("instant").asBoolean(false)));
            }
        }
        return queries;
    }

    private GrafanaDashboards() {
    }
}
