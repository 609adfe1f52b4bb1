package dev.stagecraft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "release", description = "Create releases (list them with: get releases).", subcommands = ReleaseCommands.Create.class)
public class ReleaseCommands {
    @ParentCommand
    Stagecraft root;

    @Command(name = "create", description = "Create a release from a local artifact (its sha256 computed here).")
    static class Create implements Callable<Integer> {
        @ParentCommand
        ReleaseCommands parent;
        @Parameters(index = "0", description = "service")
        String service;
        @Parameters(index = "1", description = "semantic version")
        String version;
        @Option(names = "--artifact", required = true, description = "the artifact file")
        Path artifact;
        @Option(names = "--config", description = "K=V, the instances' environment (repeatable)")
        Map<String, String> config = new LinkedHashMap<>();
        @Option(names = "--smoke-check", description = SmokeCheckOption.HELP)
        java.util.List<String> smokeChecks = new java.util.ArrayList<>();
        @Option(names = "--output", description = "text or json")
        String output = "text";

        @Override
        public Integer call() throws Exception {
            var checks = SmokeCheckOption.parseAll(smokeChecks);
            ApiClient api = parent.root.api();
            String sha = sha256(artifact);
            ObjectNode artifactNode = uploaded(api, artifact, sha);
            ObjectNode body = ApiClient.JSON.createObjectNode().put("service", service).put("version", version);
            body.set("artifact", artifactNode);
            body.set("config", ApiClient.JSON.valueToTree(config));
            if (!checks.isEmpty()) {
                body.set("smokeChecks", checks);
            }
            JsonNode created = api.post(api.settings().releaseUrl(), "/api/v1/releases", body);
            if ("json".equals(output)) {
                parent.root.out.println(created);
            } else {
                parent.root.out.println("release " + service + " " + version + " created (" + artifactNode.path("uri").asText()
                        + ", sha256 " + sha + ")");
            }
            return Outcome.SUCCEEDED;
        }

        /**
         * The artifact store's URI when the server has one ({@code POST /api/v1/artifacts}); where it answers
         * 404 or 405 (no store), the file's own {@code file:} URI, which works when the services share this disk.
         */
        static ObjectNode uploaded(ApiClient api, Path artifact, String sha) throws Exception {
            var response = api.exchange("POST", api.settings().releaseUrl(), "/api/v1/artifacts", Files.readAllBytes(artifact));
            ObjectNode node = ApiClient.JSON.createObjectNode();
            if (response.statusCode() == 404 || response.statusCode() == 405) {
                return node.put("uri", artifact.toAbsolutePath().toUri().toString()).put("sha256", sha);
            }
            if (response.statusCode() / 100 != 2) {
                throw ApiClient.errorOf(response.statusCode(), response.body());
            }
            JsonNode stored = ApiClient.parse(response.body());
            if (!sha.equals(stored.path("sha256").asText())) {
                throw new IllegalStateException("the artifact store computed sha256 " + stored.path("sha256").asText()
                        + ", not " + sha + ": the upload was damaged");
            }
            return node.put("uri", stored.path("uri").asText()).put("sha256", sha);
        }
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
