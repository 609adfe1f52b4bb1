package dev.stagecraft.release.flags.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Sticky bucketing for fractional rollouts: the first 4 bytes of SHA-256({@code flagKey + "/" + targetingKey}) as
 * an unsigned number, mod 10000. The same key always lands in the same bucket, so at the same percentages it gets
 * the same variant; buckets are compared with cumulative shares in the listed order, so raising the first share
 * only moves keys into it. The flag key is part of the hash so that two flags at 20 % do not pick the same users.
 */
public final class Bucket {
    public static final int BUCKETS = 10_000;

    private Bucket() {
    }

    public static int of(String flagKey, String targetingKey) {
        byte[] digest = sha256().digest((flagKey + "/" + targetingKey).getBytes(StandardCharsets.UTF_8));
        long first4 = ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8)
                | (digest[3] & 0xFFL);
        return (int) (first4 % BUCKETS);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
