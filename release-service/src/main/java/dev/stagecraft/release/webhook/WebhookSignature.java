package dev.stagecraft.release.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on every webhook request: {@code sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}.
 * The timestamp is inside the signed text so that a receiver that rejects old timestamps also rejects a
 * captured request replayed later: the attacker cannot re-sign it with a fresh one.
 */
public final class WebhookSignature {
    public static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {
    }

    public static String sign(String secret, long unixSeconds, String body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret, unixSeconds + "." + body));
    }

    /** Constant-time comparison, so that a forger learns nothing from how long a refusal takes. */
    public static boolean verify(String secret, long unixSeconds, String body, String signatureHeader) {
        if (signatureHeader == null) {
            return false;
        }
        byte[] expected = sign(secret, unixSeconds, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signatureHeader.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    private static byte[] hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every JDK ships HmacSHA256, and any non-empty key is valid for it.
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
