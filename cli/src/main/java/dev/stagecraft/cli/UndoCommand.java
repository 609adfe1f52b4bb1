package dev.stagecraft.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "undo", description = "Deploy a fleet's last stable release again (a deployment of its own: rolling,"
        + " half the fleet at a time). Exit codes as for deploy.")
public class UndoCommand implements Callable<Integer> {
    @ParentCommand
    Stagecraft root;
    @Parameters(description = "service")
    String service;
    @Option(names = "--env", required = true, description = "environment")
    String environment;
    @Option(names = "--to-version", description = "this version instead of the last stable one")
    String toVersion;
    @Option(names = "--reason", description = "why (kept in the audit log)")
    String reason;
    @Option(names = "--no-follow", negatable = true, description = "follow the undo until it ends (default)")
    boolean follow = true;
    @Option(names = "--output", description = "live (on a terminal), text or json")
    String output;

    @Override
    public Integer call() {
        ApiClient api = root.api();
        ObjectNode body = ApiClient.JSON.createObjectNode();
        if (toVersion != null) {
            body.put("toVersion", toVersion);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        JsonNode accepted = api.post(api.settings().releaseUrl(), "/api/v1/fleets/" + ApiClient.encode(service) + "/"
                + ApiClient.encode(environment) + "/undo", body);
        String id = accepted.path("id").asText();
        if (!follow) {
            root.out.println("undo: deployment " + id + " of " + service + " " + accepted.path("version").asText()
                    + " " + accepted.path("status").asText());
            return Outcome.SUCCEEDED;
        }
        return new Follower(api, root.out, Follower.modeFor(output)).follow(id);
    }
}
