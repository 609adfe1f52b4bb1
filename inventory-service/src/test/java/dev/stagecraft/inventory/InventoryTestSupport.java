package dev.stagecraft.inventory;

import dev.stagecraft.devinfra.TestTokens;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.inventory.api.InstanceView;
import dev.stagecraft.platform.artifact.ArtifactStore;

/**
 * Drives inventory-service the way rollout-service does: step requests as CloudEvents on
 * stagecraft.rollout-steps, answers awaited on stagecraft.instances. Instances run the real
 * sample-app jar.
 */
public final class InventoryTestSupport implements AutoCloseable {
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final CloudEventsTestClient kafka;
    /** A private copy of sample-app.jar, so that a concurrent rebuild of sample-app cannot change its sha256 under us. */
    public final Path sampleApp;
    public final String sampleAppSha;

    public InventoryTestSupport() {
        kafka = new CloudEventsTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try {
            Path built = Path.of("..", "sample-app", "target", "sample-app.jar").toAbsolutePath().normalize();
            Path dir = Files.createDirectories(Path.of("target", "test-artifacts").toAbsolutePath());
            sampleApp = Files.copy(built, dir.resolve("sample-app-" + UUID.randomUUID() + ".jar"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("the tests run ../sample-app/target/sample-app.jar; build sample-app first", e);
        }
        sampleAppSha = ArtifactStore.sha256(sampleApp);
    }

    /** A service name no other test uses, so that tests sharing the database and broker don't see each other. */
    public static String uniqueService(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public ReleaseSpec release(String service, String version, Map<String, String> config) {
        return new ReleaseSpec(service, version, new ArtifactRef(sampleApp.toUri().toString(), sampleAppSha), config);
    }

    /** Publishes a step request keyed by its deployment id; answers the CloudEvent id. */
    public String request(String type, StepRequest request) {
        return kafka.publish(Topics.ROLLOUT_STEPS, request.deploymentId(), type, write(request));
    }

    public void request(String type, String eventId, StepRequest request) {
        kafka.publish(Topics.ROLLOUT_STEPS, request.deploymentId(), type, eventId, write(request));
    }

    /** The answer of {@code type} to step {@code step} of the deployment. */
    public InstancesChanged awaitAnswer(String deploymentId, String type, int step) {
        var record = kafka.await(Topics.INSTANCES, r -> deploymentId.equals(r.key())
                && type.equals(CloudEventsTestClient.header(r, "ce_type"))
                && read(r.value(), InstancesChanged.class).step() == step, ANSWER_TIMEOUT);
        return read(record.value(), InstancesChanged.class);
    }

    public TargetsResolved awaitResolved(String deploymentId) {
        var record = kafka.await(Topics.INSTANCES, r -> deploymentId.equals(r.key())
                && EventTypes.TARGETS_RESOLVED.equals(CloudEventsTestClient.header(r, "ce_type")), ANSWER_TIMEOUT);
        return read(record.value(), TargetsResolved.class);
    }

    public static List<InstanceView> instances(String service, String environment) {
        String body = given().auth().oauth2(TestTokens.admin()).queryParam("service", service).queryParam("environment", environment)
                .get("/api/v1/instances").then().statusCode(200).extract().asString();
        try {
            return JSON.readValue(body, new TypeReference<List<InstanceView>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decommissions whatever the fleet has, and waits until it is gone: no test leaves a process behind. */
    public void decommissionAll(String deploymentId, int step, String service, String environment) {
        List<InstanceView> left = instances(service, environment);
        if (left.isEmpty()) {
            return;
        }
        request(EventTypes.DECOMMISSION_REQUESTED, StepRequest.forInstances(deploymentId, step, service, environment,
                left.stream().map(InstanceView::id).toList()));
        awaitAnswer(deploymentId, EventTypes.INSTANCES_DECOMMISSIONED, step);
        left.stream().map(InstanceView::pid).filter(p -> p != null).forEach(InventoryTestSupport::awaitGone);
    }

    /** The version the instance at {@code address} answers on GET /, or empty if nothing answers there. */
    public static Optional<String> versionAt(String address) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + "/"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(JSON.readTree(response.body()).path("version").asText());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public static void awaitGone(long pid) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !alive(pid));
    }

    /** The environment a process was started with, read from /proc (Linux). */
    public static Map<String, String> environmentOf(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                    StandardCharsets.UTF_8);
            return Arrays.stream(raw.split("\0")).filter(kv -> kv.indexOf('=') > 0)
                    .collect(Collectors.toMap(kv -> kv.substring(0, kv.indexOf('=')),
                            kv -> kv.substring(kv.indexOf('=') + 1), (a, b) -> b));
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Live processes that were started as an instance of {@code service}, whoever tracks them. */
    public static List<Long> processesOf(String service) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .filter(pid -> service.equals(environmentOf(pid).get("STAGECRAFT_SERVICE"))).toList();
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kafka.close();
        try {
            Files.deleteIfExists(sampleApp);
        } catch (IOException ignored) {
            // target/ is cleaned by the build anyway
        }
    }
}
