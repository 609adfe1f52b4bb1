package dev.stagecraft.platform.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The lock keys every replica must compute alike, and must not share between different names. */
class AdvisoryLockKeyTest {
    @Test
    void theSameNameGivesTheSameKeyAndTheBytesAreTheDigestsFirstEight() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest("leader:inventory-service".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(java.nio.ByteBuffer.wrap(digest, 0, 8).getLong(), AdvisoryLocks.key("leader", "inventory-service"));
        assertEquals(AdvisoryLocks.key("fleet", "shop/staging"), AdvisoryLocks.key("fleet", "shop/staging"));
    }

    @Test
    void differentFleetsNamespacesAndSplitsGiveDifferentKeys() {
        String[][] cases = {
                {"fleet", "shop/staging"}, {"fleet", "shop/production"}, {"fleet", "shops/staging"},
                {"fleet", "sho/pstaging"}, {"leader", "shop/staging"}, {"fleet:shop", "staging"},
                {"leader", "inventory-service"}, {"leader", "rollout-service"}};
        Set<Long> keys = new HashSet<>();
        for (String[] c : cases) {
            keys.add(AdvisoryLocks.key(c[0], c[1]));
        }
        // "fleet:shop" + ":" + "staging" and "fleet" + ":" + "shop:staging" would collide; names here carry no ':'.
        assertEquals(cases.length, keys.size(), "every case its own key");
        assertNotEquals(AdvisoryLocks.key("fleet", "a/b"), AdvisoryLocks.key("fleet", "a/c"));
    }
}
