package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.platform.artifact.ArtifactStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * POST /api/v1/releases must not be an oracle: every artifact it will not use is refused with one and the same
 * answer, whether the file is outside the sources or missing, the URL internal, slow, too large, redirecting or
 * failing, or the sha256 wrong. An artifact server on 127.0.0.1 is listed as a source here, so that its limits
 * (size, time, no redirects), not the address policy, are what refuse its probes.
 */
@QuarkusTest
@TestProfile(ArtifactOracleTest.WithArtifactServer.class)
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ArtifactOracleTest {
    static final byte[] GOOD = "the artifact server's good artifact".getBytes(StandardCharsets.UTF_8);

    /** The artifact server, started before the application so that its address can be a listed source. */
    public static class WithArtifactServer implements QuarkusTestProfile {
        static HttpServer server;

        static synchronized String prefix(String host) {
            if (server == null) {
                server = artifactServer();
            }
            return "http://" + host + ":" + server.getAddress().getPort() + "/";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stagecraft.artifacts.sources", TestArtifacts.DIR + "/," + prefix("127.0.0.1") + ","
                    + prefix("internal.test"));
        }
    }

    @Inject
    RecordingNetwork network;

    static HttpServer artifactServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/good.jar", exchange -> {
                exchange.sendResponseHeaders(200, GOOD.length);
                exchange.getResponseBody().write(GOOD);
                exchange.close();
            });
            server.createContext("/big.jar", exchange -> { // declared larger than the limit (64K in tests)
                exchange.sendResponseHeaders(200, 200_000);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(new byte[200_000]);
                } catch (IOException e) {
                    // refused mid-way, as it should be
                }
            });
            server.createContext("/big-chunked.jar", exchange -> { // no length: counted while it streams
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 20; i++) {
                        out.write(new byte[10_000]);
                    }
                } catch (IOException e) {
                    // refused mid-way
                }
            });
            server.createContext("/slow.jar", exchange -> { // a byte every 200 ms: each read is quick, the whole is not
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 100; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // cut off
                }
            });
            server.createContext("/redirect.jar", exchange -> {
                exchange.getResponseHeaders().add("Location", "/good.jar");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            server.createContext("/error.jar", exchange -> {
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "artifact-server");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response create(String uri, String sha256) {
        String service = "oracle-" + UUID.randomUUID().toString().substring(0, 8);
        return given().auth().oauth2(TestTokens.token("dora", "deployer:staging")).contentType(ContentType.JSON)
                .body("""
                        {"service":"%s","version":"1.0.0","artifact":{"uri":"%s","sha256":"%s"}}
                        """.formatted(service, uri, sha256)).post("/api/v1/releases");
    }

    @Test
    void everyRefusalIsTheSameAnswer() throws Exception {
        network.point("internal.test", "127.0.0.1"); // listed by name: only public addresses may serve it
        Path passwd = Path.of("/etc/passwd");
        String passwdSha = ArtifactStore.sha256(passwd); // the right sha256 does not help a file outside
        Path inside = TestArtifacts.file("oracle", "inside the sources");
        Path linkOut = TestArtifacts.DIR.resolve("link-out-" + UUID.randomUUID() + ".jar");
        Files.createSymbolicLink(linkOut, passwd);
        String made = "0123456789abcdef".repeat(4);
        String server = WithArtifactServer.prefix("127.0.0.1");
        String goodSha = ArtifactStore.sha256(Files.write(Files.createTempFile("good", ".jar"), GOOD));
        int port = RestAssured.port;

        Map<String, String[]> probes = new LinkedHashMap<>();
        probes.put("/etc/shadow, a made-up sha256", new String[] {"file:///etc/shadow", made});
        probes.put("/etc/passwd with its real sha256", new String[] {"file:///etc/passwd", passwdSha});
        probes.put("a file that does not exist outside", new String[] {"file:///no/such/file.jar", made});
        probes.put("a .. escape from the source", new String[] {"file://" + TestArtifacts.DIR
                + "/../../../../../../../../etc/passwd", passwdSha});
        probes.put("a link inside the source pointing out", new String[] {linkOut.toUri().toString(), passwdSha});
        probes.put("a missing file in the source", new String[] {TestArtifacts.DIR.toUri() + "missing.jar", made});
        probes.put("a file in the source, wrong sha256", new String[] {inside.toUri().toString(), made});
        probes.put("this service's metrics", new String[] {"http://127.0.0.1:" + port + "/q/metrics", made});
        probes.put("rollout-service's metrics", new String[] {"http://127.0.0.1:8081/q/metrics", made});
        probes.put("localhost", new String[] {"http://localhost:" + port + "/q/metrics", made});
        probes.put("the metadata service", new String[] {"http://169.254.169.254/latest/meta-data/", made});
        probes.put("the metadata service over IPv6-mapped", new String[] {"http://[::ffff:169.254.169.254]/", made});
        probes.put("a private address", new String[] {"http://10.0.0.1/a.jar", made});
        probes.put("a listed name resolving to loopback", new String[] {WithArtifactServer.prefix("internal.test")
                + "good.jar", goodSha});
        probes.put("a body over the size limit", new String[] {server + "big.jar", made});
        probes.put("a chunked body over the size limit", new String[] {server + "big-chunked.jar", made});
        probes.put("a body that trickles past the deadline", new String[] {server + "slow.jar", made});
        probes.put("a redirect", new String[] {server + "redirect.jar", goodSha});
        probes.put("an HTTP error", new String[] {server + "error.jar", made});
        probes.put("a 404", new String[] {server + "missing.jar", made});
        probes.put("a URL with a good body, wrong sha256", new String[] {server + "good.jar", made});
        probes.put("an escaped .. under the listed prefix", new String[] {server + "%2e%2e/q/metrics", made});

        String first = null;
        int wrong = 0;
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String[]> probe : probes.entrySet()) {
            Response response = create(probe.getValue()[0], probe.getValue()[1]);
            String body = response.asString();
            if (first == null) {
                first = body;
            }
            if (response.statusCode() != 422 || !body.equals(first)) {
                wrong++;
                failures.add(probe.getKey() + ": " + response.statusCode() + " " + body);
            }
        }
        System.out.printf("artifact oracle probes: %d tried, %d accepted or answered differently%n", probes.size(),
                wrong);
        assertEquals(List.of(), failures);
        assertTrue(first.contains("\"field\":\"artifact.uri\""), first);
        assertTrue(first.contains("could not be fetched from an allowed source, or its sha256 does not match"), first);
        assertTrue(!first.contains(passwdSha) && !first.contains("404") && !first.contains("500"), first);

        // never connected to: the metadata address, the private one, and loopback except the listed server
        List<InetSocketAddress> dialed = network.dialed();
        assertTrue(dialed.stream().noneMatch(a -> !a.getAddress().isLoopbackAddress()), dialed.toString());
        assertTrue(dialed.stream().allMatch(a -> a.getPort() == WithArtifactServer.server.getAddress().getPort()),
                dialed.toString());

        // the controls: what the sources hold, with the right sha256, is accepted
        create(inside.toUri().toString(), ArtifactStore.sha256(inside)).then().statusCode(201);
        create(server + "good.jar", goodSha).then().statusCode(201);
    }
}
