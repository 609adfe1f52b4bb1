package dev.stagecraft.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", description = "One deployment (status, gates, timeline), or the deployments running now.")
public class StatusCommand implements Callable<Integer> {
    @ParentCommand
    Stagecraft root;
    @Parameters(arity = "0..1", description = "deployment id")
    String id;
    @Option(names = "--output", description = "text or json")
    String output = "text";

    @Override
    public Integer call() {
        ApiClient api = root.api();
        if (id == null) {
            JsonNode all = api.get(api.settings().releaseUrl(), "/api/v1/deployments");
            var running = ApiClient.JSON.createArrayNode();
            for (JsonNode d : all) {
                if (!Outcome.isFinal(d.path("status").asText())) {
                    running.add(d);
                }
            }
            if ("json".equals(output)) {
                root.out.println(running);
            } else {
                Tables.print(root.out, running, "id", "service", "version", "environment", "/strategy/type", "status");
            }
            return Outcome.SUCCEEDED;
        }
        JsonNode d = api.get(api.settings().releaseUrl(), "/api/v1/deployments/" + ApiClient.encode(id));
        if ("json".equals(output)) {
            root.out.println(d);
            return Outcome.SUCCEEDED;
        }
        root.out.println(d.path("service").asText() + " " + d.path("version").asText() + " -> "
                + d.path("environment").asText() + "  " + d.path("strategy").path("type").asText() + "  "
                + d.path("status").asText() + "   id " + d.path("id").asText());
        if (d.path("gates").size() > 0) {
            root.out.println("gates");
            Tables.print(root.out, d.path("gates"), "name", "passed", "reason");
        }
        root.out.println("timeline");
        Tables.print(root.out, d.path("timeline"), "at", "status", "message");
        return Outcome.SUCCEEDED;
    }
}
