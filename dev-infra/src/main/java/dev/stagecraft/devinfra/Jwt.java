package dev.stagecraft.devinfra;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Mints RS256 bearer tokens the services accept (issuer {@value #ISSUER}, audience {@value #AUDIENCE}, user in
 * {@code upn}, roles in {@code groups}, a fresh {@code jti}), with nothing but the JDK. For the local platform and tests only: a real
 * installation takes its tokens from its identity provider.
 */
public final class Jwt {
    public static final String ISSUER = "stagecraft";
    /** The services accept only tokens meant for them ({@code mp.jwt.verify.audiences}). */
    public static final String AUDIENCE = "stagecraft";

    private Jwt() {
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code jwt-private.pem} (PKCS#8) and {@code jwt-public.pem} (X.509) into {@code dir}. */
    public static void writeKeyPair(KeyPair pair, Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("jwt-private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("jwt-public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    public static PrivateKey readPrivateKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** A token for {@code user} with {@code groups}, valid from {@code issuedAt} for {@code ttl}. */
    public static String mint(PrivateKey key, String user, List<String> groups, Instant issuedAt, Duration ttl) {
        String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":" + quote(user)
                + ",\"upn\":" + quote(user)
                + ",\"groups\":[" + groups.stream().map(Jwt::quote).collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + issuedAt.getEpochSecond() + ",\"exp\":" + issuedAt.plus(ttl).getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        return sign(key, payload);
    }

    /** {@code payloadJson} signed as it is: for tests of tokens that lack or bend a claim. */
    public static String sign(PrivateKey key, String payloadJson) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = payloadJson;
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
