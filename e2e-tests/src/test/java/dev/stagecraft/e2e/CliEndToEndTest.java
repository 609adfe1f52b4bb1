package dev.stagecraft.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import dev.stagecraft.cli.Stagecraft;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.DebianPackages;
import dev.stagecraft.devinfra.LoadLoop;
import dev.stagecraft.devinfra.TestTokens;
import io.restassured.path.json.JsonPath;

/**
 * The command line against a real platform: the commands and their exit codes run in-process (the same main
 * as bin/stagecraft), and bin/stagecraft itself in a real terminal (tmux), whose screen is read while a rolling
 * canary is held at each weight and while a release whose smoke check fails is rolled back; then undo, timed.
 */
@ExtendWith(SharedPlatform.class)
class CliEndToEndTest {
    private static final String ENV = "staging";
    /** The shell's echo after the command: the typed line itself reads "EXIT=$?", so a digit tells the end. */
    private static final java.util.regex.Pattern ENDED = java.util.regex.Pattern.compile("EXIT=[0-9]");

    static Platform platform;
    static PlatformApi api;
    static Map<String, String> env;
    static Path root;

    @BeforeAll
    static void startPlatform(Platform shared) throws Exception {
        platform = shared;
        api = new PlatformApi(platform);
        root = Path.of(System.getProperty("stagecraft.root")).toAbsolutePath().normalize();
        env = new HashMap<>();
        env.put("STAGECRAFT_URL", platform.url("release-service"));
        env.put("STAGECRAFT_INVENTORY_URL", platform.url("inventory-service"));
        env.put("STAGECRAFT_HEALTH_URL", platform.url("health-monitor"));
        env.put("STAGECRAFT_ROLLOUT_URL", platform.url("rollout-service"));
        env.put("STAGECRAFT_TOKEN", TestTokens.admin());
        // no context file of the machine's user may leak in
        env.put("STAGECRAFT_CONFIG", Files.createTempDirectory("stagecraft-cli").resolve("config").toString());
    }


    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Stagecraft.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.printf("$ stagecraft %s  => exit %d%n%s%s", String.join(" ", args), exit, run.out(), run.err());
        return run;
    }

    @Test
    void commandsAnswerWithTheExitCodeOfTheirOutcome() {
        String service = "cli-shop";
        String jar = platform.sampleApp().toString();
        assertEquals(0, cli("fleet", "scale", service, "--env", ENV, "--replicas", "4").exit());
        Run created = cli("release", "create", service, "1.0.0", "--artifact", jar);
        assertEquals(0, created.exit(), created.err());
        // release-service has the artifact store: the CLI uploaded the jar and the release names the stored copy
        assertThat("uploaded to the artifact store", created.out(), containsString("stagecraft-artifact:sha256:"));
        Run again = cli("release", "create", service, "1.0.0", "--artifact", jar);
        assertEquals(4, again.exit(), "a duplicate release is refused");
        assertThat(again.err(), containsString("error:"));

        long started = System.nanoTime();
        Run first = cli("deploy", service, "1.0.0", "--to", ENV, "--max-unavailable", "100%", "--follow", "--output", "json");
        assertEquals(0, first.exit(), first.out() + first.err());
        List<String> lines = first.out().lines().toList();
        assertTrue(lines.size() >= 3, "one line per event: " + lines);
        assertThat(lines.get(lines.size() - 1), containsString("\"outcome\":\"SUCCEEDED\""));
        System.out.printf("CLI: first rolling deployment of 4 followed to SUCCEEDED in %.1f s%n", (System.nanoTime() - started) / 1e9);

        assertEquals(0, cli("release", "create", service, "1.1.0", "--artifact", jar, "--config", "SAMPLE_READY_FAIL=true").exit());
        Run bad = cli("deploy", service, "1.1.0", "--to", ENV, "--follow");
        assertEquals(1, bad.exit(), "ROLLED_BACK is exit 1: " + bad.out());
        assertThat(bad.out(), containsString("verdict FAIL"));
        assertThat(bad.out(), containsString("outcome: ROLLED_BACK"));

        Run refused = cli("deploy", service, "1.1.0", "--to", "production");
        assertEquals(3, refused.exit(), "a gate's refusal is exit 3");
        assertThat(refused.err(), containsString("gate.promotion"));

        Run invalid = cli("deploy", service, "1.0.0", "--to", ENV, "--strategy", "canary", "--steps", "0,200");
        assertEquals(4, invalid.exit());
        assertThat(invalid.err(), containsString("strategy.steps[1].weight"));

        Run instances = cli("get", "instances", service, "--env", ENV);
        assertEquals(0, instances.exit());
        assertEquals(4, instances.out().lines().filter(l -> l.contains(" 1.0.0 ")).count(), instances.out());
        Run history = cli("history", service, "--env", ENV);
        assertThat(history.out(), containsString("ROLLED_BACK"));
        assertThat(history.out(), containsString("SUCCEEDED"));
        Run unknown = cli("status", "no-such-deployment");
        assertEquals(4, unknown.exit());
        assertThat(unknown.err(), containsString("does not exist"));
        Run noToken = cliWithout("STAGECRAFT_TOKEN", "get", "deployments");
        assertEquals(4, noToken.exit());
        assertThat(noToken.err(), containsString("HTTP 401"));
    }

    /**
     * An operator's view of what could never be applied: a record that is no CloudEvent, put on the topic rollout-service
     * reads the health answers from, is a dead letter there with its reason; {@code dead-letters redrive} sends it back.
     */
    @Test
    void deadLettersAreListedWithTheirReasonAndCanBeSentBack() {
        String key = "cli-poison-" + System.nanoTime();
        try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.bootstrapServers())) {
            kafka.publishRaw(Topics.HEALTH, key, "poison: not a CloudEvent", Map.of());
        }
        Map<String, Object> letter = null;
        for (long end = System.nanoTime() + Duration.ofSeconds(60).toNanos(); letter == null && System.nanoTime() < end; ) {
            Run listed = cli("dead-letters", "list", "--service", "rollout-service", "--limit", "1000", "-o", "json");
            assertEquals(0, listed.exit(), listed.err());
            letter = JsonPath.from(listed.out()).getMap("find { it.key == '" + key + "' }");
            if (letter == null) {
                PlatformApi.sleep(500);
            }
        }
        assertTrue(letter != null, "the poison record became a dead letter of rollout-service within 60 s");
        assertEquals("rollout-service", letter.get("service"));
        assertEquals(Topics.HEALTH, letter.get("topic"));
        assertThat(String.valueOf(letter.get("reason")), containsString("not a CloudEvent"));

        Run table = cli("dead-letters", "list");
        assertEquals(0, table.exit(), table.err());
        assertThat(table.out(), containsString("SERVICE"));
        assertThat(table.out(), containsString(key));

        Run redriven = cli("dead-letters", "redrive", "rollout-service", String.valueOf(letter.get("id")));
        assertEquals(0, redriven.exit(), redriven.err());
        assertThat(redriven.out(), containsString("sent back to " + Topics.HEALTH));
        Run unknown = cli("dead-letters", "redrive", "rollout-service", "999999999");
        assertEquals(4, unknown.exit());
        Run wrongService = cli("dead-letters", "list", "--service", "billing");
        assertThat(wrongService.err(), containsString("unknown service billing"));
        assertEquals(64, wrongService.exit());
    }

    /**
     * A person at a real terminal (tmux: keys typed with send-keys, the screen read with capture-pane) deploys with
     * bin/stagecraft and watches the live view: a canary with a smoke check of its own (a header, on top of the
     * release's), held at each weight after its analysis passed (the screen read there: the weight bar, the verdict
     * with its values and limits), resumed to the end; then a release whose smoke check fails on the first batch is
     * rolled back, the check named. Then undo goes back to the last stable release, timed.
     */
    @Test
    void aFailingSmokeCheckRollsBackOnScreenAndUndoRestoresTheLastStableRelease() throws Exception {
        Path tmux = DebianPackages.ensure("tmux");
        String service = "cli-undo";
        String jar = platform.sampleApp().toString();
        String cart = "{\"path\":\"/api/cart\",\"expectJson\":{\"/items\":\"[]\"}}";
        assertEquals(0, cli("fleet", "scale", service, "--env", ENV, "--replicas", "4").exit());
        assertEquals(0, cli("release", "create", service, "1.0.0", "--artifact", jar).exit());
        assertEquals(0, cli("release", "create", service, "1.1.0", "--artifact", jar, "--smoke-check", cart).exit());
        assertEquals(0, cli("release", "create", service, "1.2.0", "--artifact", jar, "--smoke-check", cart,
                "--config", "SAMPLE_CART_BROKEN=true").exit());
        Run nothing = cli("undo", service, "--env", ENV);
        assertEquals(4, nothing.exit(), "nothing deployed yet: nothing to undo");
        assertThat(nothing.err(), containsString("no earlier successful deployment"));
        assertEquals(0, cli("deploy", service, "1.0.0", "--to", ENV, "--max-unavailable", "100%", "--follow").exit());

        String session = "stagecraft-cli-" + ProcessHandle.current().pid();
        run(tmux.toString(), "new-session", "-d", "-s", session, "-x", "200", "-y", "50", "-c", root.toString());
        try {
            StringBuilder exports = new StringBuilder();
            env.forEach((k, v) -> exports.append("export ").append(k).append("='").append(v).append("'; "));
            type(tmux, session, exports + "export COLUMNS=200; clear");
            String version = "{\"name\":\"version\",\"path\":\"/\",\"headers\":{\"Accept\":\"application/json\"},"
                    + "\"expectBodyContains\":\"1.1.0\"}";
            LoadLoop.Result load;
            // Traffic through the fleet's router, for the analysis to judge the canary by (too little is INCONCLUSIVE).
            try (LoadLoop traffic = LoadLoop.start(api.routerUrl(service, ENV), 2, 200_000, Duration.ofSeconds(240),
                    Duration.ofMillis(10))) {
                type(tmux, session, "bin/stagecraft deploy " + service + " 1.1.0 --to " + ENV + " --strategy canary"
                        + " --steps 25,50 --analysis 3s --hold --canary-replicas 1 --min-requests 10 --smoke-check '"
                        + version + "' --follow; echo EXIT=$?");
                // (the plan's line names every stage up front, "holding at step 1/2" included: wait for the status)
                String held = awaitScreen(tmux, session, s -> s.contains("status PAUSED")
                        && s.contains("analysis of step 1/2 (25%, 3s) passed") && !ENDED.matcher(s).find(),
                        Duration.ofSeconds(120), "the canary held at its first step");
                print("canary 1.1.0, held at 25% after its analysis passed", held);
                assertTrue(java.util.regex.Pattern.compile("\\d:\\d\\d  [A-Z_]+ +holding at step 1/2").matcher(held).find(),
                        "a timeline line of the hold itself");
                assertThat(held, containsString("canary  [########......................]  25.0%"));
                assertThat(held, containsString("stable  [#######################.......]  75.0%"));
                assertThat(held, containsString("+ step 1/2  25%, analysis 3s"));
                assertThat(held, containsString("analysis of step 1/2 (25%, 3s) passed: the canary passed every check"));
                assertThat(held, containsString("(limit 1.0%)"));
                assertThat("the release's check and the deployment's own", held, containsString("2 smoke checks passed"));
                String id = io.restassured.RestAssured.given().auth().oauth2(TestTokens.admin())
                        .queryParam("service", service).queryParam("status", "PAUSED")
                        .get(api.release("/api/v1/deployments")).then().statusCode(200).extract().path("[0].id");
                assertEquals(0, cli("resume", id).exit());
                String second = awaitScreen(tmux, session, s -> s.contains("status PAUSED")
                        && s.contains("analysis of step 2/2 (50%, 3s) passed") && !ENDED.matcher(s).find(),
                        Duration.ofSeconds(120), "the canary held at its second step");
                print("canary 1.1.0, held at 50%", second);
                assertThat(second, containsString("canary  [###############...............]  50.0%"));
                assertThat(second, containsString("analysis of step 2/2 (50%, 3s) passed"));
                assertThat(second, containsString("+ step 1/2"));
                assertEquals(0, cli("resume", id).exit());
                String done = awaitScreen(tmux, session, s -> ENDED.matcher(s).find(), Duration.ofSeconds(120), "the end");
                print("canary 1.1.0, done", done);
                assertThat(done, containsString("outcome: SUCCEEDED"));
                assertThat(done, containsString("EXIT=0"));
                assertThat(done, containsString("+ step 2/2"));
                load = traffic.stop();
            }
            System.out.printf("through the router during the canary: %d requests, %d failed%n", load.requests(),
                    load.failed());

            type(tmux, session, "clear; bin/stagecraft deploy " + service + " 1.2.0 --to " + ENV
                    + " --max-unavailable 50% --follow; echo EXIT=$?");
            // The canary's "EXIT=0" stays on screen until the shell has run the clear: wait for this deployment's
            // own header, then for its end.
            String rolledBack = awaitScreen(tmux, session, s -> s.contains("deploy " + service + " 1.2.0 -> ")
                    && ENDED.matcher(s).find(), Duration.ofSeconds(120), "the rollback");
            print("1.2.0, its smoke check failing, rolled back", rolledBack);
            assertThat(rolledBack, containsString("outcome: ROLLED_BACK"));
            assertThat(rolledBack, containsString("EXIT=1"));
            assertThat(rolledBack, containsString("verdict FAIL for batch 1/2"));
            assertThat(rolledBack, containsString("smoke check 'GET /api/cart'"));
        } finally {
            run(tmux.toString(), "kill-session", "-t", session);
        }
        String failed = api.instances(service, ENV).getList("version", String.class).toString();
        assertEquals("[1.1.0, 1.1.0, 1.1.0, 1.1.0]", failed, "1.2.0 never kept an instance");
        JsonPath history = io.restassured.RestAssured.given().auth().oauth2(TestTokens.admin())
                .queryParam("service", service).queryParam("status", "ROLLED_BACK")
                .get(api.release("/api/v1/deployments")).then().statusCode(200).extract().jsonPath();
        JsonPath smoked = api.awaitEnd(history.getString("[0].id"));
        String timeline = String.join("\n", PlatformApi.timeline(smoked));
        assertThat(timeline, containsString("smoke check 'GET /api/cart'"));
        assertThat(timeline, containsString("expected HTTP 200, got 500"));

        Run noReason = cli("undo", service, "--env", ENV, "--override");
        assertEquals(4, noReason.exit(), "a break-glass undo without a reason is refused");
        assertThat(noReason.err(), containsString("reason"));

        long started = System.nanoTime();
        Run undo = cli("undo", service, "--env", ENV, "--reason", "customers report errors", "--output", "json");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, undo.exit(), undo.out() + undo.err());
        System.out.printf("undo of a SUCCEEDED 4-instance rolling deployment (1.1.0 -> 1.0.0, batches of 50%%),"
                + " request to SUCCEEDED: %.1f s%n", seconds);
        Files.createDirectories(root.resolve("e2e-tests/target/e2e-work"));
        Files.writeString(root.resolve("e2e-tests/target/e2e-work/figures.txt"), String.format(java.util.Locale.ROOT,
                "undo of a 4-instance rolling deployment: %.1f s%n", seconds), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        assertThat(undo.out(), containsString("maxUnavailable 50%"));
        assertEquals(List.of("1.0.0", "1.0.0", "1.0.0", "1.0.0"), api.instances(service, ENV).getList("version", String.class));
        Run audit = cli("get", "audit", "--output", "json");
        assertThat(audit.out(), containsString("fleet.undo"));
        assertThat(audit.out(), containsString("customers report errors"));
    }

    static Run cliWithout(String variable, String... args) {
        String kept = env.remove(variable);
        try {
            return cli(args);
        } finally {
            env.put(variable, kept);
        }
    }

    static void type(Path tmux, String session, String line) throws Exception {
        run(tmux.toString(), "send-keys", "-t", session, "-l", line);
        run(tmux.toString(), "send-keys", "-t", session, "Enter");
    }

    static String awaitScreen(Path tmux, String session, Predicate<String> until, Duration timeout, String what)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = run(tmux.toString(), "capture-pane", "-p", "-t", session);
            if (until.test(screen)) {
                return screen;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the screen never showed " + what + " within " + timeout + ":\n" + screen);
    }

    static void print(String title, String screen) throws IOException {
        String text = "---- " + title + " ----\n" + screen.stripTrailing() + "\n";
        System.out.print(text);
        Path figures = root.resolve("e2e-tests/target/e2e-work/cli-screens.txt");
        Files.createDirectories(figures.getParent());
        Files.writeString(figures, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
