package dev.stagecraft.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The operator's actions on one deployment: each is {@code POST /api/v1/deployments/{id}/<action>}. */
public final class ActionCommands {
    private ActionCommands() {
    }

    abstract static class Action implements Callable<Integer> {
        @ParentCommand
        Stagecraft root;
        @Parameters(description = "deployment id")
        String id;
        @Option(names = "--reason", description = "why (kept in the timeline and the audit log)")
        String reason;
        @Option(names = "--follow", description = "then watch the deployment until it ends")
        boolean follow;
        @Option(names = "--output", description = "live (on a terminal), text or json")
        String output;

        abstract String action();

        ObjectNode body() {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (reason != null) {
                body.put("reason", reason);
            }
            return body;
        }

        @Override
        public Integer call() {
            ApiClient api = root.api();
            JsonNode answer = api.post(api.settings().releaseUrl(),
                    "/api/v1/deployments/" + ApiClient.encode(id) + "/" + action(), body());
            if (follow) {
                return new Follower(api, root.out, Follower.modeFor(output)).follow(id);
            }
            String status = answer.path("status").asText("");
            root.out.println("json".equals(output) ? answer.toString()
                    : action() + ": deployment " + id + (status.isEmpty() ? "" : " " + status));
            return Outcome.SUCCEEDED;
        }
    }

    @Command(name = "promote", description = "Skip the analysis, wait or hold in progress (--full: every remaining one).")
    static class Promote extends Action {
        @Option(names = "--full", description = "skip every remaining step")
        boolean full;

        String action() {
            return "promote";
        }

        @Override
        ObjectNode body() {
            return full ? super.body().put("full", true) : super.body();
        }
    }

    @Command(name = "pause", description = "Hold a canary or blue/green deployment.")
    static class Pause extends Action {
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Go on with a paused deployment.")
    static class Resume extends Action {
        String action() {
            return "resume";
        }
    }

    @Command(name = "abort", description = "Stop where it is: only the batch in flight is restored.")
    static class Abort extends Action {
        String action() {
            return "abort";
        }
    }

    @Command(name = "rollback", description = "Restore the previous release on every instance the deployment changed.")
    static class Rollback extends Action {
        String action() {
            return "rollback";
        }
    }

    @Command(name = "approve", description = "Approve a deployment waiting for approval (never your own).")
    static class Approve extends Action {
        @Option(names = "--comment")
        String comment;

        String action() {
            return "approve";
        }

        @Override
        ObjectNode body() {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (comment != null) {
                body.put("comment", comment);
            }
            return body;
        }
    }

    @Command(name = "reject", description = "Reject a deployment waiting for approval (a reason is required).")
    static class Reject extends Action {
        String action() {
            return "reject";
        }
    }
}
