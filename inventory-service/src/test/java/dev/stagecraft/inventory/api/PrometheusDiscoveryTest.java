package dev.stagecraft.inventory.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.inventory.InventoryTestSupport;
import dev.stagecraft.inventory.domain.InstanceState;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;

/** Prometheus' HTTP service discovery lists every instance with its labels; fleets' sizes are gauges. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class PrometheusDiscoveryTest {

    @Test
    void everyInstanceIsATargetWithItsLabels() throws Throwable {
        String service = InventoryTestSupport.uniqueService("scraped");
        String id = insert(service, "canary", "3.1.0");
        given().get("/api/v1/discovery/prometheus").then().statusCode(401);
        given().auth().oauth2(TestTokens.token("prometheus", "viewer")).get("/api/v1/discovery/prometheus").then()
                .statusCode(200).contentType(containsString("json"))
                .body("find { it.labels.instance_id == '" + id + "' }.targets", equalTo(List.of("127.0.0.1:9")))
                .body("find { it.labels.instance_id == '" + id + "' }.labels.service", equalTo(service))
                .body("find { it.labels.instance_id == '" + id + "' }.labels.environment", equalTo("production"))
                .body("find { it.labels.instance_id == '" + id + "' }.labels.pool", equalTo("canary"))
                .body("find { it.labels.instance_id == '" + id + "' }.labels.version", equalTo("3.1.0"));

        // The local-process driver has no agents and no router processes (its routers count in /q/metrics).
        given().get("/api/v1/discovery/prometheus/data-plane").then().statusCode(401);
        given().auth().oauth2(TestTokens.token("prometheus", "viewer")).get("/api/v1/discovery/prometheus/data-plane")
                .then().statusCode(200).body("size()", equalTo(0));

        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":2}")
                .put("/api/v1/fleets/" + service + "/production").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("stagecraft_fleet_replicas{environment=\"production\",service=\"" + service + "\"} 2.0")));
    }

    private static String insert(String service, String pool, String version) throws Throwable {
        InstanceEntity row = new InstanceEntity();
        row.id = "i-" + UUID.randomUUID().toString().substring(0, 8);
        row.service = service;
        row.environment = "production";
        row.pool = pool;
        row.runs(new ReleaseSpec(service, version, new ArtifactRef("file:///nowhere.jar", "f".repeat(64)), Map.of()));
        row.state = InstanceState.FAILED; // left alone by the controller: nothing to converge
        row.address = "127.0.0.1:9";
        row.lastError = "test row";
        row.updatedAt = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> row.<InstanceEntity>persist()));
        return row.id;
    }
}
