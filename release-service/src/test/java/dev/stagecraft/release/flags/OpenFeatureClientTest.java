package dev.stagecraft.release.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A real OpenFeature client that nobody here wrote: Node with {@code @openfeature/server-sdk} and
 * {@code @openfeature/ofrep-provider} from npm (installed into target/ofrep-client), evaluating boolean, string and
 * object flags, a targeting match, a 20 % split over 10,000 keys and a missing flag against this service. Needs
 * {@code node} and {@code npm} on the PATH and npm's registry: without them this test fails and says so.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class OpenFeatureClientTest {
    static final String SDK = "@openfeature/server-sdk@1.23.0";
    static final String PROVIDER = "@openfeature/ofrep-provider@0.1.3";
    static final String ENV = "ofrep-client";
    static final String SVC = "node-app";

    @Test
    void theOpenFeatureNodeSdkWithTheOfrepProviderGetsWhatTheFlagsSay() throws Exception {
        Path dir = Path.of("target/ofrep-client").toAbsolutePath();
        install(dir);
        Files.copy(Path.of("src/test/node/ofrep-client.mjs"), dir.resolve("ofrep-client.mjs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Flags.environment(ENV);
        Flags.put(SVC, ENV, "new-greeting", """
                {"variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"when":{"attribute":"plan","op":"in","value":["pro","enterprise"]},"variant":"on"}]}""");
        Flags.put(SVC, ENV, "theme", "{\"variants\":{\"dark\":\"dark-blue\",\"light\":\"white\"},\"defaultVariant\":\"dark\"}");
        Flags.put(SVC, ENV, "limits", "{\"variants\":{\"std\":{\"max\":10,\"tier\":\"std\"}},\"defaultVariant\":\"std\"}");
        Flags.put(SVC, ENV, "rollout-20", """
                {"variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"split":[{"variant":"on","percent":20},{"variant":"off","percent":80}]}]}""");
        String token = Flags.token(SVC, ENV, null);

        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        JsonNode out = run(dir, List.of("node", "ofrep-client.mjs"), Map.of(
                "OFREP_ENDPOINT", "http://127.0.0.1:" + port,
                "OFREP_HEADERS", "Authorization=Bearer " + token));

        assertEquals(false, out.at("/boolean/value").asBoolean(true), out::toString);
        assertEquals("STATIC", out.at("/boolean/reason").asText(), "no rule matched: DEFAULT is sent as STATIC");
        assertEquals(true, out.at("/booleanTargeted/value").asBoolean(false), out::toString);
        assertEquals("TARGETING_MATCH", out.at("/booleanTargeted/reason").asText());
        assertEquals("on", out.at("/booleanTargeted/variant").asText());
        assertEquals("dark-blue", out.at("/string/value").asText(), out::toString);
        assertEquals(10, out.at("/object/value/max").asInt(), out::toString);
        assertEquals("std", out.at("/object/value/tier").asText());
        assertEquals("FLAG_NOT_FOUND", out.at("/notFound/errorCode").asText(), out::toString);
        assertEquals(true, out.at("/notFound/value").asBoolean(false), "the code default is used");
        int keys = out.at("/split/keys").asInt();
        int on = out.at("/split/on").asInt();
        double share = 100.0 * on / keys;
        System.out.printf("OpenFeature node client: 20 %% split over %d keys → %d on (%.2f %%), %d errors, %d ms,"
                + " %d of 200 keys changed on a second look%n", keys, on, share, out.at("/split/errors").asInt(),
                out.at("/split/millis").asLong(), out.at("/split/unstable").asInt());
        assertEquals(10_000, keys);
        assertEquals(0, out.at("/split/errors").asInt(), out::toString);
        assertTrue(Math.abs(share - 20) < 1.5, "share " + share);
        assertEquals(0, out.at("/split/unstable").asInt());
    }

    private static void install(Path dir) throws Exception {
        if (Files.isDirectory(dir.resolve("node_modules/@openfeature/ofrep-provider"))
                && Files.isDirectory(dir.resolve("node_modules/@openfeature/server-sdk"))) {
            return;
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("package.json"), "{\"name\":\"ofrep-client\",\"private\":true,\"type\":\"module\"}");
        run(dir, List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", dir.toString(), SDK, PROVIDER), Map.of());
    }

    private static JsonNode run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not on the PATH: this test needs Node.js and npm (" + e.getMessage() + ")", e);
        }
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError(String.join(" ", command) + " took more than 5 minutes");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
            }
            String last = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
            return new ObjectMapper().readTree(last);
        } finally {
            process.destroyForcibly();
        }
    }
}
