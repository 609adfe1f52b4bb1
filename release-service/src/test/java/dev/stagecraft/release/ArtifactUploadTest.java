package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** POST /api/v1/artifacts: the server hashes and sizes the upload, stores it once, and keeps to its limit. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ArtifactUploadTest {
    static final String OCTETS = "application/octet-stream";

    static Path storeDir() {
        return Path.of(ConfigProvider.getConfig().getValue("stagecraft.artifacts.store-dir", String.class), "sha256");
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static long storedFiles() throws IOException {
        if (!Files.isDirectory(storeDir())) {
            return 0;
        }
        try (Stream<Path> files = Files.list(storeDir())) {
            return files.count();
        }
    }

    @Test
    void storesAnUploadUnderTheSha256TheServerComputes() throws Exception {
        byte[] bytes = ("an artifact " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String sha = sha256(bytes);
        long before = storedFiles();
        for (int i = 0; i < 2; i++) { // the same bytes twice: the same artifact, one file
            given().auth().oauth2(TestTokens.token("dora", "deployer:staging")).contentType(OCTETS).body(bytes)
                    .post("/api/v1/artifacts")
                    .then().statusCode(201).header("Location", endsWith("/api/v1/artifacts/" + sha))
                    .body("uri", equalTo("stagecraft-artifact:sha256:" + sha)).body("sha256", equalTo(sha))
                    .body("size", equalTo(bytes.length));
        }
        assertEquals(before + 1, storedFiles());
        assertEquals(sha, sha256(Files.readAllBytes(storeDir().resolve(sha))));
        given().auth().oauth2(TestTokens.token("val", "viewer")).get("/api/v1/artifacts/" + sha)
                .then().statusCode(200).body("size", equalTo(bytes.length));
        byte[] downloaded = given().auth().oauth2(TestTokens.token("val", "viewer"))
                .get("/api/v1/artifacts/sha256/" + sha).then().statusCode(200).extract().asByteArray();
        assertEquals(sha, sha256(downloaded));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/artifacts/" + "0".repeat(64))
                .then().statusCode(404).contentType("application/problem+json");

        // a release names it by its store URI
        String service = "stored-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"%s","version":"1.0.0","artifact":{"uri":"stagecraft-artifact:sha256:%s","sha256":"%s"}}
                """.formatted(service, sha, sha)).post("/api/v1/releases")
                .then().statusCode(201).body("runtime", equalTo("java-jar"))
                .body("artifact.uri", equalTo("stagecraft-artifact:sha256:" + sha));
    }

    @Test
    void needsADeployerOrAnAdmin() {
        byte[] bytes = "who may upload".getBytes(StandardCharsets.UTF_8);
        given().contentType(OCTETS).body(bytes).post("/api/v1/artifacts").then().statusCode(401);
        for (String role : new String[] {"viewer", "approver", "approver:staging"}) {
            given().auth().oauth2(TestTokens.token("nora", role)).contentType(OCTETS).body(bytes)
                    .post("/api/v1/artifacts").then().statusCode(403).contentType("application/problem+json");
        }
        for (String role : new String[] {"deployer", "deployer:production", "admin"}) {
            given().auth().oauth2(TestTokens.token("ada", role)).contentType(OCTETS).body(bytes)
                    .post("/api/v1/artifacts").then().statusCode(201);
        }
        given().auth().oauth2(TestTokens.token("nora", "viewer")).get("/api/v1/artifacts/" + "0".repeat(64))
                .then().statusCode(404);
        given().get("/api/v1/artifacts/" + "0".repeat(64)).then().statusCode(401);
    }

    @Test
    void refusesAnUploadOverTheLimitAndKeepsNothing() throws Exception {
        long max = ConfigProvider.getConfig().getValue("stagecraft.artifacts.max-size",
                io.quarkus.runtime.configuration.MemorySize.class).asLongValue();
        byte[] tooLarge = new byte[(int) max + 1];
        tooLarge[0] = 42;
        long before = storedFiles();
        given().auth().oauth2(TestTokens.admin()).contentType(OCTETS).body(tooLarge).post("/api/v1/artifacts")
                .then().statusCode(413).contentType("application/problem+json").body("errors.field", hasItem("body"));
        // a body without Content-Length (chunked) is counted as it streams
        given().auth().oauth2(TestTokens.admin()).contentType(OCTETS)
                .body(new java.io.ByteArrayInputStream(tooLarge)).post("/api/v1/artifacts")
                .then().statusCode(413).contentType("application/problem+json");
        assertEquals(before, storedFiles());
        assertTrue(Files.notExists(storeDir().resolve(sha256(tooLarge))));
        byte[] justFits = new byte[(int) max];
        given().auth().oauth2(TestTokens.admin()).contentType(OCTETS).body(justFits).post("/api/v1/artifacts")
                .then().statusCode(201).body("size", equalTo((int) max));
    }

    @Test
    void aReleaseDeclaresItsRuntime() {
        Path jar = TestArtifacts.file("runtime", "runtime " + UUID.randomUUID());
        String sha = dev.stagecraft.platform.artifact.ArtifactStore.sha256(jar);
        String service = "runtime-" + UUID.randomUUID().toString().substring(0, 8);
        for (String runtime : new String[] {"docker", "shell", "", "JAVA-JAR"}) {
            given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                    {"service":"%s","version":"1.0.0","runtime":"%s","artifact":{"uri":"%s","sha256":"%s"}}
                    """.formatted(service, runtime, jar.toUri(), sha)).post("/api/v1/releases")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("runtime"));
        }
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"%s","version":"1.0.0","runtime":"java-jar","artifact":{"uri":"%s","sha256":"%s"}}
                """.formatted(service, jar.toUri(), sha)).post("/api/v1/releases")
                .then().statusCode(201).body("runtime", equalTo("java-jar"));
    }
}
