package dev.stagecraft.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Every service's dead letters ({@code GET /api/v1/dead-letters}, admins only): records a consumer could never apply,
 * with the reason, and a way to send one back to its topic once the cause is mended.
 */
@Command(name = "dead-letters", description = "Records a service could not apply (admins): list them, send one back.",
        subcommands = {DeadLetterCommands.ListLetters.class, DeadLetterCommands.Redrive.class})
public class DeadLetterCommands {
    static final List<String> SERVICES = List.of("release-service", "rollout-service",
            "inventory-service", "health-monitor");

    @ParentCommand
    Stagecraft root;

    /** The base URL of one of the four services, from the settings; a clear error for any other name. */
    static String urlOf(Settings s, String service) {
        return switch (service) {
            case "release-service" -> s.releaseUrl();
            case "rollout-service" -> s.rolloutUrl();
            case "inventory-service" -> s.inventoryUrl();
            case "health-monitor" -> s.healthUrl();
            default -> throw new IllegalArgumentException("unknown service " + service + ": " + String.join(", ",
                    SERVICES));
        };
    }

    @Command(name = "list", description = "The newest dead letters of every service, or of one (--service).")
    static class ListLetters implements Callable<Integer> {
        @ParentCommand
        DeadLetterCommands parent;
        @Option(names = "--service", description = "release-service, rollout-service, inventory-service or health-monitor")
        String service;
        @Option(names = "--limit", defaultValue = "20", description = "per service, 1-1000 (default ${DEFAULT-VALUE})")
        int limit;
        @Option(names = {"-o", "--output"}, description = "table (default) or json")
        String output;

        @Override
        public Integer call() {
            ApiClient api = parent.root.api();
            Map<String, String> urls = new LinkedHashMap<>();
            for (String s : service == null ? SERVICES : List.of(service)) {
                urls.put(s, urlOf(api.settings(), s));
            }
            ArrayNode rows = ApiClient.JSON.createArrayNode();
            urls.forEach((name, url) -> {
                JsonNode letters = api.get(url, "/api/v1/dead-letters" + ApiClient.query(Map.of("limit",
                        Integer.toString(limit))));
                letters.forEach(letter -> rows.add(((ObjectNode) letter.deepCopy()).put("service", name)));
            });
            if ("json".equals(output)) {
                parent.root.out.println(rows);
            } else {
                Tables.print(parent.root.out, rows, "service", "id", "at", "topic", "type", "key", "reason");
            }
            return Outcome.SUCCEEDED;
        }
    }

    @Command(name = "redrive", description = "Send a dead letter back to the topic it came from (its consumer applies it again).")
    static class Redrive implements Callable<Integer> {
        @ParentCommand
        DeadLetterCommands parent;
        @Parameters(index = "0", description = "the service that holds it")
        String service;
        @Parameters(index = "1", description = "its id")
        long id;

        @Override
        public Integer call() {
            ApiClient api = parent.root.api();
            JsonNode sent = api.post(urlOf(api.settings(), service), "/api/v1/dead-letters/" + id + "/redrive", null);
            parent.root.out.println("dead letter " + id + " of " + service + " sent back to " + sent.path("topic")
                    .asText("its topic") + " (" + sent.path("type").asText("no type") + ")");
            return Outcome.SUCCEEDED;
        }
    }
}
