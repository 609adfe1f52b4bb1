package dev.stagecraft.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "fleet", description = "Fleets (inventory-service).", subcommands = FleetCommands.Scale.class)
public class FleetCommands {
    @ParentCommand
    Stagecraft root;

    @Command(name = "scale", description = "Set a fleet's replicas (0-100).")
    static class Scale implements Callable<Integer> {
        @ParentCommand
        FleetCommands parent;
        @Parameters(description = "service")
        String service;
        @Option(names = "--env", required = true)
        String environment;
        @Option(names = "--replicas", required = true)
        int replicas;

        @Override
        public Integer call() {
            ApiClient api = parent.root.api();
            JsonNode fleet = api.put(api.settings().inventoryUrl(), "/api/v1/fleets/" + ApiClient.encode(service) + "/"
                    + ApiClient.encode(environment), ApiClient.JSON.createObjectNode().put("replicas", replicas));
            parent.root.out.println("fleet " + service + "/" + environment + ": " + fleet.path("replicas").asInt()
                    + " replicas, router " + fleet.path("routerUrl").asText("-"));
            return Outcome.SUCCEEDED;
        }
    }
}
