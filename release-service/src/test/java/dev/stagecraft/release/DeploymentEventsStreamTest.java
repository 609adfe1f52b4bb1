package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The timeline as server-sent events: live lines as the saga's records arrive, the end at a final status,
 * resuming after {@code Last-Event-ID}, and the answers for an unknown deployment, a bad id and no token.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class DeploymentEventsStreamTest {
    @TestHTTPResource("/api/v1/deployments/")
    URI deployments;

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void setUp() throws Exception {
        DeploymentFlowTest.setUp();
    }

    @AfterAll
    static void tearDown() {
        DeploymentFlowTest.tearDown();
    }

    record Sse(String id, String name, String data) {
    }

    /** Reads the whole stream (until the server closes it) on another thread. */
    CompletableFuture<List<Sse>> open(String id, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(deployments.resolve(id + "/events"))
                .header("Authorization", "Bearer " + TestTokens.admin()).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream()).thenApplyAsync(response -> {
            assertEquals(200, response.statusCode());
            List<Sse> events = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                String eventId = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Sse(eventId, name, data.toString()));
                        }
                        eventId = null;
                        name = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        eventId = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return events;
        });
    }

    @Test
    void theStreamFollowsTheTimelineUntilTheDeploymentEndsAndResumesAfterLastEventId() throws Exception {
        DeploymentFlowTest.release("sse", "1.0.0");
        String id = DeploymentFlowTest.deploy("sse", "1.0.0", "staging");
        CompletableFuture<List<Sse>> live = open(id, null);
        Thread.sleep(500);
        assertTrue(!live.isDone(), "the stream stays open while the deployment runs");

        DeploymentFlowTest.lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started", "sse-started-" + id);
        DeploymentFlowTest.lifecycle(id, EventTypes.DEPLOYMENT_PROGRESSED, "IN_PROGRESS", "batch 1/2 done", "sse-b1-" + id);
        DeploymentFlowTest.lifecycle(id, EventTypes.DEPLOYMENT_PROGRESSED, "IN_PROGRESS", "batch 2/2 done", "sse-b2-" + id);
        DeploymentFlowTest.lifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "all good", "sse-done-" + id);

        List<Sse> events = live.get(20, TimeUnit.SECONDS);
        List<String> names = events.stream().map(Sse::name).toList();
        assertEquals("REQUESTED", names.get(0), events.toString());
        assertEquals("SUCCEEDED", names.get(names.size() - 1), events.toString());
        assertTrue(events.get(events.size() - 1).data().contains("\"terminal\":true"), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.data().contains("batch 2/2 done")), events.toString());
        List<Long> ids = events.stream().map(e -> Long.parseLong(e.id())).toList();
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) > ids.get(i - 1), "ids grow: " + ids);
        }
        // the same lines the REST view shows, in the same order
        List<String> timeline = given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .extract().path("timeline.message");
        assertEquals(timeline.size(), events.size(), events + " vs " + timeline);

        // resumed after the second line: the rest only, and the stream ends at once (the deployment has ended)
        List<Sse> resumed = open(id, events.get(1).id()).get(10, TimeUnit.SECONDS);
        assertEquals(events.subList(2, events.size()), resumed);
    }

    @Test
    void unknownDeploymentBadIdAndNoTokenAreRefused() {
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/no-such/events").then().statusCode(404)
                .contentType("application/problem+json");
        DeploymentFlowTest.release("sse-bad", "1.0.0");
        String id = DeploymentFlowTest.deploy("sse-bad", "1.0.0", "development");
        given().auth().oauth2(TestTokens.admin()).header("Last-Event-ID", "abc").get("/api/v1/deployments/" + id + "/events")
                .then().statusCode(400).body("errors.field", hasItem("Last-Event-ID"));
        given().get("/api/v1/deployments/" + id + "/events").then().statusCode(401);
    }
}
