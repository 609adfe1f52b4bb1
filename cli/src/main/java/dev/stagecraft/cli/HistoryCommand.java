package dev.stagecraft.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "history", description = "The deployments of a service, newest first.")
public class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    Stagecraft root;
    @Parameters(description = "service")
    String service;
    @Option(names = "--env", description = "only this environment")
    String environment;
    @Option(names = "--output", description = "text or json")
    String output = "text";

    @Override
    public Integer call() {
        ApiClient api = root.api();
        JsonNode all = api.get(api.settings().releaseUrl(), "/api/v1/deployments"
                + ApiClient.query(Map.of("service", service)) + (environment == null ? ""
                        : "&environment=" + ApiClient.encode(environment)));
        JsonNode rows = all; // the API answers newest first
        if ("json".equals(output)) {
            root.out.println(rows);
        } else {
            Tables.print(root.out, rows, "id", "version", "environment", "/strategy/type", "status", "requestedBy");
        }
        return Outcome.SUCCEEDED;
    }
}
