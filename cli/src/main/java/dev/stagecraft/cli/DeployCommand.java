package dev.stagecraft.cli;

import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "deploy", description = "Request a deployment; with --follow, watch it to its end (exit 0 SUCCEEDED,"
        + " 1 ROLLED_BACK/ABORTED, 2 FAILED, 3 REJECTED or refused by a gate).")
public class DeployCommand implements Callable<Integer> {
    @ParentCommand
    Stagecraft root;
    @Parameters(index = "0", description = "service")
    String service;
    @Parameters(index = "1", description = "version")
    String version;
    @Option(names = "--to", required = true, description = "environment")
    String environment;
    @Option(names = "--strategy", description = "rolling, canary or blue-green (default rolling)")
    String strategy = "rolling";
    @Option(names = "--steps", split = ",", description = "canary weights in percent, e.g. 5,25,50")
    List<Integer> steps;
    @Option(names = "--analysis", description = "analysis window per canary step, or blue/green pre-promotion (e.g. 30s)")
    String analysis;
    @Option(names = "--hold", description = "canary: hold at every step once its analysis passed, until promote or"
            + " resume")
    boolean hold;
    @Option(names = "--max-unavailable", description = "rolling batch size: a count or a percentage (\"25%%\")")
    String maxUnavailable;
    @Option(names = "--canary-replicas", description = "instances in the canary pool")
    Integer canaryReplicas;
    @Option(names = "--min-requests", description = "canary/blue-green analysis: fewer requests in a window is INCONCLUSIVE")
    Integer minRequests;
    @Option(names = "--reason", description = "an admin's break-glass reason through a closed window")
    String overrideReason;
    @Option(names = "--smoke-check", description = "this deployment's own: " + SmokeCheckOption.HELP + "; added to the"
            + " release's checks, replacing one of the same name (or method and path)")
    List<String> smokeChecks = new java.util.ArrayList<>();
    @Option(names = "--follow", description = "watch the deployment until it ends")
    boolean follow;
    @Option(names = "--output", description = "live (on a terminal), text or json")
    String output;

    @Override
    public Integer call() {
        ApiClient api = root.api();
        ObjectNode body = ApiClient.JSON.createObjectNode().put("service", service).put("version", version)
                .put("environment", environment);
        body.set("strategy", strategy());
        if (overrideReason != null) {
            body.putObject("override").put("reason", overrideReason);
        }
        if (!smokeChecks.isEmpty()) {
            body.set("smokeChecks", SmokeCheckOption.parseAll(smokeChecks));
        }
        JsonNode accepted = api.post(api.settings().releaseUrl(), "/api/v1/deployments", body);
        String id = accepted.path("id").asText();
        Follower.Mode mode = Follower.modeFor(output);
        if (!follow) {
            root.out.println(mode == Follower.Mode.JSON ? accepted.toString()
                    : "deployment " + id + " " + accepted.path("status").asText());
            return Outcome.isFinal(accepted.path("status").asText())
                    ? Outcome.exitCodeOf(accepted.path("status").asText()) : Outcome.SUCCEEDED;
        }
        return new Follower(api, root.out, mode).follow(id);
    }

    ObjectNode strategy() {
        ObjectNode node = ApiClient.JSON.createObjectNode().put("type", strategy);
        switch (strategy) {
            case "rolling" -> {
                if (maxUnavailable != null) {
                    if (maxUnavailable.matches("\\d+")) {
                        node.put("maxUnavailable", Integer.parseInt(maxUnavailable));
                    } else {
                        node.put("maxUnavailable", maxUnavailable);
                    }
                }
            }
            case "canary" -> {
                if (canaryReplicas != null) {
                    node.put("canaryReplicas", canaryReplicas);
                }
                if (steps != null) {
                    ArrayNode list = node.putArray("steps");
                    for (Integer weight : steps) {
                        ObjectNode step = list.addObject().put("weight", weight);
                        if (analysis != null) {
                            step.put("analysis", analysis);
                        }
                        if (hold) {
                            step.put("pause", true);
                        }
                    }
                }
            }
            case "blue-green" -> {
                if (analysis != null) {
                    node.put("prePromotionAnalysis", analysis);
                }
            }
            default -> {
                // the server names the unknown type in its 400
            }
        }
        if (minRequests != null) {
            node.putObject("analysis").put("minRequests", minRequests);
        }
        return node;
    }
}
