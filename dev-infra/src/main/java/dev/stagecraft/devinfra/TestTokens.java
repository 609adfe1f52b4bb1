package dev.stagecraft.devinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Bearer tokens for tests: one key pair per test JVM, whose public key {@link StagecraftTestInfra}
 * hands to the service under test. The pair lives in a per-process temp directory rather than only
 * in a static field, because Quarkus may load this class in more than one class loader.
 */
public final class TestTokens {
    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"),
            "stagecraft-test-jwt-" + ProcessHandle.current().pid());
    private static final PrivateKey SIGNING_KEY = loadOrCreate();

    private TestTokens() {
    }

    /** The path of the PEM public key the services must verify tokens with. */
    public static Path publicKey() {
        return DIR.resolve("jwt-public.pem");
    }

    /** A valid token for {@code user} with {@code groups}, valid for an hour. */
    public static String token(String user, String... groups) {
        return Jwt.mint(SIGNING_KEY, user, List.of(groups), Instant.now(), Duration.ofHours(1));
    }

    /** As {@link #token}, valid for {@code ttl}: for a platform's own parts that run longer than an hour (benchmarks). */
    public static String token(Duration ttl, String user, String... groups) {
        return Jwt.mint(SIGNING_KEY, user, List.of(groups), Instant.now(), ttl);
    }

    /**
     * A token for one Kafka command: short-lived (5 minutes) with its own jti, as release-service requires of
     * command tokens. Mint one per command; a second command with the same token is refused.
     */
    public static String command(String user, String... groups) {
        return Jwt.mint(SIGNING_KEY, user, List.of(groups), Instant.now(), Duration.ofMinutes(5));
    }

    /** {@code payloadJson} signed with the trusted test key, for tokens that lack or bend a claim. */
    public static String signed(String payloadJson) {
        return Jwt.sign(SIGNING_KEY, payloadJson);
    }

    /** A token with every right, for tests that are not about access control. */
    public static String admin() {
        return token("test-admin", "admin");
    }

    /** "Bearer ..." for an Authorization header. */
    public static String bearer(String user, String... groups) {
        return "Bearer " + token(user, groups);
    }

    /** A token that expired an hour ago. */
    public static String expired(String user, String... groups) {
        return Jwt.mint(SIGNING_KEY, user, List.of(groups), Instant.now().minus(Duration.ofHours(2)),
                Duration.ofHours(1));
    }

    /**
     * A well-formed token signed by a key the services do not trust: one such key per JVM, made on first use (an RSA
     * key pair costs tenths of a second on a busy core, and the access matrix forges dozens of tokens).
     */
    public static String forged(String user, String... groups) {
        return Jwt.mint(UntrustedKey.PRIVATE, user, List.of(groups), Instant.now(), Duration.ofHours(1));
    }

    /** Holds the untrusted key; made when a forged token is first asked for (the holder idiom). */
    private static final class UntrustedKey {
        static final PrivateKey PRIVATE = Jwt.newKeyPair().getPrivate();
    }

    private static PrivateKey loadOrCreate() {
        try {
            Path privateKey = DIR.resolve("jwt-private.pem");
            try {
                Files.createDirectory(DIR);
                KeyPair pair = Jwt.newKeyPair();
                Path partial = Files.createTempDirectory("stagecraft-test-jwt");
                Jwt.writeKeyPair(pair, partial);
                Files.move(partial.resolve("jwt-public.pem"), DIR.resolve("jwt-public.pem"));
                Files.move(partial.resolve("jwt-private.pem"), privateKey); // last: its presence means "ready"
                Files.delete(partial);
                DIR.toFile().deleteOnExit();
                DIR.resolve("jwt-public.pem").toFile().deleteOnExit();
                privateKey.toFile().deleteOnExit();
                return pair.getPrivate();
            } catch (java.nio.file.FileAlreadyExistsException another) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!Files.exists(privateKey) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                return Jwt.readPrivateKey(privateKey);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the test signing key", e);
        }
    }
}
