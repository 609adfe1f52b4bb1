package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Malformed bodies, generated from a fixed seed, sent with an admin token (so that no answer is about
 * roles) to the endpoints that take a body: every answer must be a 4xx problem+json, never a 5xx, and
 * nothing may be accepted.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class RestFuzzTest {
    static final long SEED = 4_2026_1128L;
    static final int PER_ENDPOINT = 80;

    @Test
    void malformedBodiesAreAnsweredWithProblemsNeverWithServerErrors() {
        Api.release("rest-fuzz", "1.0.0", "[]");
        Api.environment("rest-fuzz-gated", "{\"order\":66,\"requiresApproval\":true}");
        String awaiting = Api.deploy("fuzz-requester", "rest-fuzz", "1.0.0", "rest-fuzz-gated", "AWAITING_APPROVAL");
        String admin = TestTokens.token("fuzz-admin", "admin");
        MalformedBodies bodies = new MalformedBodies(new Random(SEED));

        int sent = 0;
        int problems = 0;
        int serverErrors = 0;
        List<String> wrong = new ArrayList<>();
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < PER_ENDPOINT * 4; i++) {
            String method;
            String path;
            MalformedBodies.Case body;
            switch (i % 4) {
                case 0 -> {
                    method = "POST";
                    path = "/api/v1/releases";
                    body = bodies.next(MalformedBodies.release("rest-fuzz-r" + i));
                }
                case 1 -> {
                    method = "POST";
                    path = "/api/v1/deployments";
                    body = bodies.next(MalformedBodies.deployment("rest-fuzz", "staging"));
                }
                case 2 -> {
                    method = "PUT";
                    path = "/api/v1/environments/rest-fuzz-e" + i;
                    body = bodies.next(MalformedBodies.environment("rest-fuzz-e" + i));
                }
                default -> {
                    method = "POST";
                    // most against a deployment that waits for approval (by someone else than the admin)
                    path = "/api/v1/deployments/" + (i % 3 == 0 ? UUID.randomUUID() : awaiting) + "/approve";
                    body = bodies.next(MalformedBodies.approval());
                }
            }
            Response answer = given().auth().oauth2(admin).contentType(ContentType.JSON).body(body.body())
                    .request(method, path);
            sent++;
            int status = answer.statusCode();
            statuses.merge(status, 1, Integer::sum);
            boolean problem = status >= 400 && status < 500
                    && String.valueOf(answer.contentType()).startsWith("application/problem+json");
            if (problem) {
                problems++;
            } else {
                if (status >= 500) {
                    serverErrors++;
                }
                wrong.add(method + " " + path + " [" + body.how() + "] -> " + status + " " + clip(answer.asString()));
            }
        }
        System.out.printf("rest fuzz: %d malformed bodies, %d answered 4xx problem+json, %d otherwise, %d 5xx%n",
                sent, problems, sent - problems, serverErrors);
        System.out.println("rest fuzz: answers by status " + statuses);
        wrong.forEach(w -> System.out.println("  " + w));
        assertEquals(List.of(), wrong);
        assertEquals(0, serverErrors);
        assertTrue(sent >= 300, "the fuzz shrank: " + sent);
        given().auth().oauth2(admin).get("/api/v1/deployments/" + awaiting).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("AWAITING_APPROVAL"));
    }

    @Test
    void aNulCharacterInAUrlIsABadRequestNotADatabaseError() {
        for (String path : List.of("/api/v1/deployments/%00", "/api/v1/deployments?service=a%00b",
                "/api/v1/releases/shop/1.0.0%00", "/api/v1/audit?subject=%00", "/api/v1/environments/x%00y")) {
            given().auth().oauth2(TestTokens.admin()).urlEncodingEnabled(false).contentType(ContentType.JSON)
                    .body("{\"order\":1}").request(path.startsWith("/api/v1/environments/") ? "PUT" : "GET", path)
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }

    private static String clip(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
