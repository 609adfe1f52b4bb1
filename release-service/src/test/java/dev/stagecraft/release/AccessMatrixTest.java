package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every role × environment × endpoint of the public API, judged against the role table in the
 * README: no token, an expired or a forged one → 401; a role that does not allow the call → 403;
 * a role that does → anything but 401/403/5xx (the call may still be refused for what it asks,
 * which is the point of sending requests that would be refused on their merits).
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class AccessMatrixTest {
    enum Need { VIEW, ADMIN, DEPLOY_ANYWHERE, DEPLOY_HERE, APPROVE_HERE }

    record Endpoint(String name, Need need, String method, String path, String body, String contentType) {
        Endpoint(String name, Need need, String method, String path, String body) {
            this(name, need, method, path, body, "application/json");
        }
    }

    static final List<String> ENVIRONMENTS = List.of("mx-one", "mx-two");
    static final List<String> ROLES = List.of("none", "expired", "forged", "viewer", "deployer", "deployer:mx-one",
            "deployer:mx-two", "approver", "approver:mx-one", "admin", "unrelated");
    static final Map<String, String> deploymentIn = new LinkedHashMap<>();

    /** Not in @BeforeAll: REST Assured learns the random test port only once a test runs. */
    static void twoEnvironmentsWithADeploymentEach() {
        RequestSpecification admin = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON);
        for (String env : ENVIRONMENTS) {
            admin.body("{\"order\":70}").put("/api/v1/environments/" + env).then().statusCode(200);
        }
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"mx-svc","version":"1.0.0","artifact":{"uri":"%s","sha256":"%s"}}
                """.formatted(Api.artifactUri(), Api.artifactSha())).post("/api/v1/releases").then().statusCode(201);
        for (String env : ENVIRONMENTS) {
            deploymentIn.put(env, given().auth().oauth2(TestTokens.token("requester", "admin")).contentType(ContentType.JSON)
                    .body(Api.deployBody("mx-svc", "1.0.0", env)).post("/api/v1/deployments")
                    .then().statusCode(202).extract().path("id"));
        }
    }

    static List<Endpoint> endpoints(String env) {
        String d = "/api/v1/deployments/" + deploymentIn.get(env);
        return List.of(
                new Endpoint("list deployments", Need.VIEW, "GET", "/api/v1/deployments?environment=" + env, null),
                new Endpoint("get deployment", Need.VIEW, "GET", d, null),
                new Endpoint("list environments", Need.VIEW, "GET", "/api/v1/environments", null),
                new Endpoint("environment history", Need.VIEW, "GET", "/api/v1/environments/" + env + "/history", null),
                new Endpoint("list releases", Need.VIEW, "GET", "/api/v1/releases?service=mx-svc", null),
                new Endpoint("get release", Need.VIEW, "GET", "/api/v1/releases/mx-svc/1.0.0", null),
                new Endpoint("read audit", Need.VIEW, "GET", "/api/v1/audit?limit=5", null),
                new Endpoint("change environment", Need.ADMIN, "PUT", "/api/v1/environments/" + env,
                        "{\"order\":-1,\"concurrency\":\"nonsense\"}"),
                new Endpoint("list webhooks", Need.ADMIN, "GET", "/api/v1/webhooks", null),
                new Endpoint("create webhook", Need.ADMIN, "POST", "/api/v1/webhooks", "{\"url\":\"nope\"}"),
                new Endpoint("upload artifact", Need.DEPLOY_ANYWHERE, "POST", "/api/v1/artifacts", "matrix bytes",
                        "application/octet-stream"),
                new Endpoint("get artifact", Need.VIEW, "GET", "/api/v1/artifacts/" + "0".repeat(64), null),
                new Endpoint("create release", Need.DEPLOY_ANYWHERE, "POST", "/api/v1/releases",
                        "{\"service\":\"mx-svc\",\"version\":\"not-semver\"}"),
                new Endpoint("request deployment", Need.DEPLOY_HERE, "POST", "/api/v1/deployments",
                        Api.deployBody("mx-svc", "9.9.9", env)),
                new Endpoint("roll back", Need.DEPLOY_HERE, "POST", d + "/rollback", "{\"reason\":\"matrix\"}"),
                new Endpoint("abort", Need.DEPLOY_HERE, "POST", d + "/abort", "{\"reason\":\"matrix\"}"),
                new Endpoint("promote", Need.DEPLOY_HERE, "POST", d + "/promote", "{\"full\":true}"),
                new Endpoint("promote a step", Need.DEPLOY_HERE, "POST", d + "/promote?full=false", null),
                new Endpoint("pause", Need.DEPLOY_HERE, "POST", d + "/pause", "{\"reason\":\"matrix\"}"),
                new Endpoint("resume", Need.DEPLOY_HERE, "POST", d + "/resume", null),
                new Endpoint("approve", Need.APPROVE_HERE, "POST", d + "/approve", "{\"comment\":\"matrix\"}"),
                new Endpoint("reject", Need.APPROVE_HERE, "POST", d + "/reject", "{\"reason\":\"matrix\"}"),
                new Endpoint("list flags", Need.VIEW, "GET", "/api/v1/flags/mx-svc/" + env, null),
                new Endpoint("read flag", Need.VIEW, "GET", "/api/v1/flags/mx-svc/" + env + "/mx-flag", null),
                new Endpoint("put flag", Need.DEPLOY_HERE, "PUT", "/api/v1/flags/mx-svc/" + env + "/mx-flag",
                        "{\"variants\":{\"on\":true},\"defaultVariant\":\"on\"}"),
                new Endpoint("delete flag", Need.DEPLOY_HERE, "DELETE", "/api/v1/flags/mx-svc/" + env + "/mx-gone", null),
                new Endpoint("mint OFREP token", Need.DEPLOY_HERE, "POST", "/api/v1/flags/mx-svc/" + env + "/tokens",
                        "{\"ttl\":\"1h\"}"));
    }

    /** The README's role table, written out independently of the code under test. */
    static boolean allowed(String role, String env, Need need) {
        boolean anyRole = !role.equals("unrelated");
        return switch (need) {
            case VIEW -> anyRole;
            case ADMIN -> role.equals("admin");
            case DEPLOY_ANYWHERE -> role.equals("admin") || role.equals("deployer") || role.startsWith("deployer:");
            case DEPLOY_HERE -> role.equals("admin") || role.equals("deployer") || role.equals("deployer:" + env);
            case APPROVE_HERE -> role.equals("admin") || role.equals("approver") || role.equals("approver:" + env);
        };
    }

    @Test
    void everyRoleEnvironmentAndEndpointGetsWhatTheRoleTableSays() {
        twoEnvironmentsWithADeploymentEach();
        int cases = 0;
        int acceptedWrongly = 0;
        int refusedWrongly = 0;
        List<String> wrong = new ArrayList<>();
        for (String env : ENVIRONMENTS) {
            for (Endpoint endpoint : endpoints(env)) {
                for (String role : ROLES) {
                    cases++;
                    int status = call(role, endpoint).statusCode();
                    boolean unauthenticated = role.equals("none") || role.equals("expired") || role.equals("forged");
                    int expected = unauthenticated ? 401 : allowed(role, env, endpoint.need()) ? 0 : 403;
                    boolean ok = expected == 0 ? status != 401 && status != 403 && status < 500 : status == expected;
                    if (!ok) {
                        wrong.add(role + " " + endpoint.name() + " in " + env + ": " + status + " (expected "
                                + (expected == 0 ? "allowed" : expected) + ")");
                        if (expected != 0 && status != 401 && status != 403) {
                            acceptedWrongly++;
                        } else {
                            refusedWrongly++;
                        }
                    }
                }
            }
        }
        System.out.printf("access matrix: %d role x environment x endpoint cases, %d accepted wrongly,"
                + " %d refused wrongly%n", cases, acceptedWrongly, refusedWrongly);
        assertEquals(List.of(), wrong);
        assertEquals(0, acceptedWrongly);
        assertTrue(cases >= 462, "the matrix shrank: " + cases);
    }

    private static Response call(String role, Endpoint endpoint) {
        RequestSpecification request = given().contentType(endpoint.contentType());
        switch (role) {
            case "none" -> {
            }
            case "expired" -> request = request.auth().oauth2(TestTokens.expired("eve", "admin"));
            case "forged" -> request = request.auth().oauth2(TestTokens.forged("eve", "admin"));
            default -> request = request.auth().oauth2(TestTokens.token("matrix-" + role.replace(':', '-'), role));
        }
        if (endpoint.body() != null) {
            request = endpoint.contentType().equals("application/json") ? request.body(endpoint.body())
                    : request.body(endpoint.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return request.request(endpoint.method(), endpoint.path());
    }
}
