package dev.stagecraft.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "get", description = "List things as a table: deployments, releases, environments, fleets, instances,"
        + " verdicts, audit.")
public class GetCommand implements Callable<Integer> {
    @ParentCommand
    Stagecraft root;
    @Parameters(index = "0", description = "deployments, releases, environments, fleets, instances, verdicts or audit")
    String kind;
    @Parameters(index = "1", arity = "0..1", description = "service (releases, fleets, instances, deployments),"
            + " deployment id (verdicts), subject (audit)")
    String name;
    @Option(names = "--env", description = "environment")
    String environment;
    @Option(names = "--status", description = "deployments with this status")
    String status;
    @Option(names = "--limit", description = "audit entries")
    Integer limit;
    @Option(names = "--output", description = "text or json")
    String output = "text";

    @Override
    public Integer call() {
        ApiClient api = root.api();
        Settings s = api.settings();
        Map<String, String> q = new LinkedHashMap<>();
        JsonNode rows;
        String[] columns;
        switch (kind) {
            case "deployments", "deployment" -> {
                q.put("service", name);
                q.put("environment", environment);
                q.put("status", status);
                rows = api.get(s.releaseUrl(), "/api/v1/deployments" + ApiClient.query(q));
                columns = new String[] {"id", "service", "version", "environment", "/strategy/type", "status", "createdAt"};
            }
            case "releases", "release" -> {
                q.put("service", name);
                rows = api.get(s.releaseUrl(), "/api/v1/releases" + ApiClient.query(q));
                columns = new String[] {"service", "version", "/artifact/uri", "/artifact/sha256"};
            }
            case "environments", "environment" -> {
                rows = api.get(s.releaseUrl(), "/api/v1/environments");
                columns = new String[] {"name", "order", "requiresSuccessIn", "requiresApproval"};
            }
            case "fleets", "fleet" -> {
                if (name == null || environment == null) {
                    throw new IllegalArgumentException("get fleets needs a service and --env");
                }
                rows = api.get(s.inventoryUrl(), "/api/v1/fleets/" + ApiClient.encode(name) + "/" + ApiClient.encode(environment));
                columns = new String[] {"service", "environment", "replicas", "routerUrl"};
            }
            case "instances", "instance" -> {
                q.put("service", name);
                q.put("environment", environment);
                rows = api.get(s.inventoryUrl(), "/api/v1/instances" + ApiClient.query(q));
                columns = new String[] {"id", "service", "environment", "version", "address", "state", "pool", "weight"};
            }
            case "verdicts", "verdict" -> {
                if (name == null) {
                    throw new IllegalArgumentException("get verdicts needs a deployment id");
                }
                rows = api.get(s.healthUrl(), "/api/v1/verdicts" + ApiClient.query(Map.of("deployment", name)));
                columns = new String[] {"at", "step", "result", "reason"};
            }
            case "audit" -> {
                q.put("subject", name);
                q.put("limit", limit == null ? null : limit.toString());
                rows = api.get(s.releaseUrl(), "/api/v1/audit" + ApiClient.query(q));
                columns = new String[] {"at", "actor", "action", "subjectType", "subjectId", "overrideReason"};
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind
                    + ": deployments, releases, environments, fleets, instances, verdicts or audit");
        }
        if ("json".equals(output)) {
            root.out.println(rows);
        } else {
            Tables.print(root.out, rows, columns);
        }
        return Outcome.SUCCEEDED;
    }
}
