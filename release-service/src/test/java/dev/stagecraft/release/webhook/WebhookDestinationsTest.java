package dev.stagecraft.release.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.release.RecordingNetwork;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * Webhooks may not be pointed inside: loopback, private, link-local and odd numeric forms are a 400 naming
 * {@code url} at subscription, and a name that turns internal after subscribing (DNS rebinding) is refused at
 * delivery, never connected to. The %test profile lists 127.0.0.1 (the tests' receiver) and nothing else.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class WebhookDestinationsTest {
    static final String SECRET = "receiver-secret-0123456789";
    static CloudEventsTestClient kafka;
    static WebhookTestReceiver receiver;

    @Inject
    RecordingNetwork network;

    @BeforeAll
    static void setUp() throws Exception {
        kafka = new CloudEventsTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        receiver = new WebhookTestReceiver();
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
        extraReceivers.forEach(WebhookTestReceiver::close);
        kafka.close();
    }

    static final List<WebhookTestReceiver> extraReceivers = new ArrayList<>();

    static WebhookTestReceiver closeLater(WebhookTestReceiver r) {
        extraReceivers.add(r);
        return r;
    }

    static io.restassured.response.Response subscribe(String url) {
        return WebhooksOverKafkaTest.api().contentType(ContentType.JSON)
                .body(Map.of("url", url, "secret", SECRET, "events", List.of("*"))).post("/api/v1/webhooks");
    }

    @Test
    void refusesInternalDestinationsAtSubscription() {
        network.point("metadata.test", "169.254.169.254");
        network.point("private.test", "10.1.2.3");
        network.point("loopback6.test", "::1");
        List<String> probes = List.of("http://localhost/", "http://localhost:8081/q/metrics", "http://LOCALHOST./",
                "http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/",
                "http://[::1]/", "http://[::1]:8080/", "http://[0:0:0:0:0:0:0:1]/", "http://[::ffff:127.0.0.1]/",
                "http://[::ffff:169.254.169.254]/", "http://[fe80::1]/", "http://[fd00::1]/", "http://[::]/",
                "http://169.254.169.254/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
                "http://127.0.0.2/", "http://224.0.0.1/", "http://2130706433/", "http://0177.0.0.1/",
                "http://0x7f000001/", "http://0x7f.0.0.1/", "http://127.1/", "http://017700000001/",
                "http://metadata.test/", "http://private.test/", "http://loopback6.test/", "https://10.0.0.1/",
                "http://unknown-name.test/");
        List<String> wrong = new ArrayList<>();
        for (String url : probes) {
            io.restassured.response.Response response = subscribe(url);
            if (response.statusCode() != 400 || !response.asString().contains("\"field\":\"url\"")) {
                wrong.add(url + " -> " + response.statusCode() + " " + response.asString());
            }
        }
        System.out.printf("webhook destination probes: %d tried, %d accepted wrongly%n", probes.size(), wrong.size());
        assertEquals(List.of(), wrong);
        List<InetSocketAddress> dialed = network.dialed();
        assertTrue(dialed.stream().noneMatch(a -> a.getAddress().isLinkLocalAddress()
                || a.getAddress().isSiteLocalAddress()), dialed.toString());

        // controls: a public address, and the listed receiver host
        // (RecordingNetwork never lets a delivery to the public address leave the machine; unsubscribed at once)
        network.point("public.test", "93.184.216.34");
        for (String url : List.of("https://public.test/hooks", receiver.endpoint("listed", SECRET, 0))) {
            String id = WebhooksOverKafkaTest.read(subscribe(url).then().statusCode(201).extract().asString())
                    .get("id").asText();
            WebhooksOverKafkaTest.unsubscribe(id);
        }
    }

    @Test
    void refusesANameThatTurnedInternalAtDelivery() throws Exception {
        network.point("rebind.test", "93.184.216.34"); // public when subscribing ...
        WebhookTestReceiver own = closeLater(new WebhookTestReceiver()); // its port is this test's alone
        int port = Integer.parseInt(own.endpoint("rebound", SECRET, 0).replaceAll(".*:(\\d+)/.*", "$1"));
        String subscription = WebhooksOverKafkaTest.read(subscribe("http://rebind.test:" + port + "/rebound")
                .then().statusCode(201).extract().asString()).get("id").asText();
        network.point("rebind.test", "127.0.0.1"); // ... loopback when delivering

        String deployment = UUID.randomUUID().toString();
        kafka.publish(Topics.DEPLOYMENTS, deployment, EventTypes.DEPLOYMENT_SUCCEEDED, "rebind-" + deployment, """
                {"deploymentId":"%s","service":"shop","environment":"staging","version":"1.1.0","status":"SUCCEEDED",\
                "message":"done","at":"%s"}""".formatted(deployment, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> WebhooksOverKafkaTest.deliveries(subscription).stream()
                .anyMatch(d -> d.get("status").asText().equals("FAILED")));
        JsonNode delivery = WebhooksOverKafkaTest.deliveries(subscription).get(0);
        assertTrue(delivery.get("lastError").asText().contains("loopback"), delivery.toString());
        assertEquals(List.of(), own.received("rebound"));
        assertTrue(network.dialed().stream().noneMatch(a -> a.getPort() == port && a.getAddress().isLoopbackAddress()),
                network.dialed().toString()); // the receiver's port: no other subscription of this test names it
    }
}
