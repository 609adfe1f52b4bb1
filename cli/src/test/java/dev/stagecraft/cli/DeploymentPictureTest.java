package dev.stagecraft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The live view's folding of timeline lines, the settings' precedence and the exit codes. */
class DeploymentPictureTest {
    static JsonNode json(String text) throws Exception {
        return ApiClient.JSON.readTree(text);
    }

    static JsonNode line(String at, String status, String message) {
        return ApiClient.JSON.createObjectNode().put("at", at).put("status", status).put("message", message);
    }

    @Test
    void stepsWeightsAndVerdictsComeFromTheTimeline() throws Exception {
        DeploymentPicture picture = new DeploymentPicture(json("""
                {"id":"d1","service":"shop","version":"2.0.0","environment":"staging","status":"REQUESTED",
                 "strategy":{"type":"canary","steps":[{"weight":5,"analysis":"30s"},{"weight":25,"analysis":"30s"}]},
                 "timeline":[{"at":"2026-01-01T10:00:00Z"}]}"""));
        picture.apply(line("2026-01-01T10:00:01Z", "IN_PROGRESS", "router confirmed canary 5.0% (i-1 at 5), stable 95.0% (i-2 at 95)"));
        picture.apply(line("2026-01-01T10:00:02Z", "IN_PROGRESS", "analysing step 1/2 (5%, 30s)"));
        picture.apply(line("2026-01-01T10:00:32Z", "IN_PROGRESS",
                "analysis of step 1/2 (5%, 30s) passed: error rate 0.0% over 61 requests"));
        picture.apply(line("2026-01-01T10:00:33Z", "IN_PROGRESS", "router confirmed canary 25.0% (i-1 at 25), stable 75.0% (i-2 at 75)"));
        List<String> screen = picture.render(Instant.parse("2026-01-01T10:00:40Z"), 120);
        String text = String.join("\n", screen);
        assertTrue(text.contains("+ step 1/2  5%, analysis 30s"), text);
        assertTrue(text.contains("canary  [########......................]  25.0%"), text);
        assertTrue(text.contains("stable  [#######################.......]  75.0%"), text);
        assertTrue(text.contains("passed: error rate 0.0% over 61 requests"), text);
        assertTrue(text.contains("elapsed 0:40"), text);

        picture.apply(line("2026-01-01T10:00:50Z", "ROLLING_BACK", "verdict FAIL for step 2/2: error rate 30% broke the limit"));
        picture.apply(line("2026-01-01T10:00:55Z", "ROLLED_BACK", "rolled back"));
        text = String.join("\n", picture.render(Instant.parse("2026-01-01T10:09:00Z"), 120));
        assertTrue(text.contains("x step 2/2"), text);
        assertTrue(text.contains("outcome: ROLLED_BACK after 0:55"), text);
    }

    @Test
    void environmentWinsOverTheContextAndOtherServicesFollowThePortLayout() {
        ConfigFile none = new ConfigFile(java.nio.file.Path.of("/nonexistent/stagecraft/config"));
        Settings s = Settings.resolve(Map.of("STAGECRAFT_URL", "http://10.0.0.1:9000/", "STAGECRAFT_HEALTH_URL", "http://h:1"),
                none, null);
        assertEquals("http://10.0.0.1:9000", s.releaseUrl());
        assertEquals("http://10.0.0.1:9001", s.rolloutUrl());
        assertEquals("http://10.0.0.1:9002", s.inventoryUrl());
        assertEquals("http://h:1", s.healthUrl());
    }

    @Test
    void exitCodes() {
        assertEquals(0, Outcome.exitCodeOf("SUCCEEDED"));
        assertEquals(1, Outcome.exitCodeOf("ROLLED_BACK"));
        assertEquals(1, Outcome.exitCodeOf("ABORTED"));
        assertEquals(2, Outcome.exitCodeOf("FAILED"));
        assertEquals(3, Outcome.exitCodeOf("REJECTED"));
        assertTrue(new ApiError(409, "gates", List.of("gate.window: closed")).isGateRefusal());
        assertEquals(3, Stagecraft.exitCodeOf(new ApiError(409, "gates", List.of("gate.window: closed"))));
        assertEquals(4, Stagecraft.exitCodeOf(new ApiError(409, "duplicate", List.of())));
    }
}
