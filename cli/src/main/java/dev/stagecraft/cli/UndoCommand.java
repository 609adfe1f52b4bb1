package dev.stagecraft.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "undo", description = "Deploy a fleet's last stable release again (a deployment of its own: rolling,"
        + " half the fleet at a time), or, while a deployment of the fleet still runs, roll it back (blue/green keeping"
        + " blue: an instant switch back; then ROLLED_BACK is exit 0). Exit codes as for deploy.")
public class UndoCommand implements Callable<Integer> {
    @ParentCommand
    Stagecraft root;
    @Parameters(description = "service")
    String service;
    @Option(names = "--env", required = true, description = "environment")
    String environment;
    @Option(names = "--to-version", description = "this version instead of the last stable one")
    String toVersion;
    @Option(names = "--reason", description = "why (kept in the audit log); required with --override")
    String reason;
    @Option(names = "--override", description = "admins: break the glass, through a closed deploy window or a freeze"
            + " and without waiting for an approval (only back to a version that succeeded there; audited with --reason)")
    boolean override;
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
        if (override) {
            body.put("override", true);
        }
        JsonNode accepted = api.post(api.settings().releaseUrl(), "/api/v1/fleets/" + ApiClient.encode(service) + "/"
                + ApiClient.encode(environment) + "/undo", body);
        String id = accepted.path("id").asText();
        // "rollback": a deployment of the fleet was still running, and the undo is its rollback (for blue/green
        // keeping blue, an instant switch back); its ending ROLLED_BACK is the undo succeeding.
        boolean rollback = "rollback".equals(accepted.path("undo").asText());
        if (!follow) {
            root.out.println("undo: " + (rollback ? "rolling back the running deployment " : "deployment ") + id
                    + " of " + service + " " + accepted.path("version").asText() + " "
                    + accepted.path("status").asText());
            return Outcome.SUCCEEDED;
        }
        if (rollback && !"json".equals(output)) {
            root.out.println("undo: rolling back the running deployment " + id + " of " + service + " "
                    + accepted.path("version").asText());
        }
        int exit = new Follower(api, root.out, Follower.modeFor(output)).follow(id);
        if (!rollback) {
            return exit;
        }
        String status = api.get(api.settings().releaseUrl(), "/api/v1/deployments/" + ApiClient.encode(id))
                .path("status").asText();
        if ("ROLLED_BACK".equals(status)) {
            return Outcome.SUCCEEDED;
        }
        if ("SUCCEEDED".equals(status)) {
            // Asked once the old pool was being removed: the saga finished instead (its timeline says "too late").
            root.err.println("undo: too late to roll " + id + " back, it finished; undo again to deploy the last"
                    + " stable release");
            return Outcome.ROLLED_BACK_OR_ABORTED;
        }
        return exit;
    }
}
