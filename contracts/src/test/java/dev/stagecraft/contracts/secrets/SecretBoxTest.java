package dev.stagecraft.contracts.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretBoxTest {
    private static final String K1 = SecretBox.newBase64Key();
    private static final String K2 = SecretBox.newBase64Key();
    private static final SecretScope PROD_SHOP_DB = SecretScope.instance("production", "shop", "DB_PASSWORD");
    private final SecretBox box = new SecretBox(Map.of("k1", K1), "k1");

    @Test
    void sealsWithTheKeyIdAndAFreshIvAndOpensInItsOwnScope() {
        String sealed = box.seal("s3cr3t-db-password", PROD_SHOP_DB);
        assertTrue(sealed.startsWith("sealed:v2:k1:"), sealed);
        assertTrue(SecretBox.looksSealed(sealed));
        assertFalse(sealed.contains("s3cr3t"));
        assertNotEquals(sealed, box.seal("s3cr3t-db-password", PROD_SHOP_DB), "a fresh IV every time");
        assertEquals("s3cr3t-db-password", box.open(sealed, PROD_SHOP_DB));
    }

    /** Every scope but the one the value was sealed for; each must refuse to open it. */
    static Stream<Arguments> otherScopes() {
        return Stream.of(
                Arguments.of("another environment (the reported attack)", SecretScope.instance("staging", "shop", "DB_PASSWORD")),
                Arguments.of("staging under the attacker's name", SecretScope.instance("staging", "shop", "STOLEN")),
                Arguments.of("another service", SecretScope.instance("production", "cart", "DB_PASSWORD")),
                Arguments.of("another variable: values swapped", SecretScope.instance("production", "shop", "API_TOKEN")),
                Arguments.of("the at-rest purpose", SecretScope.environment("production", "DB_PASSWORD")),
                Arguments.of("a webhook's secret", SecretScope.webhook("shop")),
                Arguments.of("environment in another case", SecretScope.instance("Production", "shop", "DB_PASSWORD")),
                Arguments.of("name with a trailing space", SecretScope.instance("production", "shop", "DB_PASSWORD ")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherScopes")
    void aValueOpensInNoOtherScope(String what, SecretScope other) {
        String sealed = box.seal("prod-password", PROD_SHOP_DB);
        SecretException refused = assertThrows(SecretException.class, () -> box.open(sealed, other));
        assertFalse(refused.getMessage().contains("prod-password"), refused.getMessage());
    }

    static Stream<Arguments> notOpenable() {
        String sealed = new SecretBox(Map.of("k1", K1), "k1").seal("value", PROD_SHOP_DB);
        String body = sealed.substring("sealed:v2:k1:".length());
        char last = body.charAt(body.length() - 3);
        String flipped = body.substring(0, body.length() - 3) + (last == 'A' ? 'B' : 'A') + body.substring(body.length() - 2);
        return Stream.of(
                Arguments.of("plain text", "value"),
                Arguments.of("an unbound sealed:v1: value", "sealed:v1:" + body),
                Arguments.of("a tampered ciphertext", "sealed:v2:k1:" + flipped),
                Arguments.of("a key id relabelled", "sealed:v2:k2:" + body),
                Arguments.of("an unknown key id", "sealed:v2:nope:" + body),
                Arguments.of("no key id", "sealed:v2:" + body),
                Arguments.of("not base64", "sealed:v2:k1:%%%"),
                Arguments.of("too short", "sealed:v2:k1:AAAA"),
                Arguments.of("null", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notOpenable")
    void onlyAnIntactV2ValueOfAKnownKeyOpens(String what, String value) {
        SecretBox ring = new SecretBox(Map.of("k1", K1, "k2", K2), "k2");
        assertThrows(SecretException.class, () -> ring.open(value, PROD_SHOP_DB));
    }

    @Test
    void aRotatedRingSealsWithTheNewestAndStillOpensTheOld() {
        String old = box.seal("pw", PROD_SHOP_DB);
        SecretBox rotated = SecretKeyRing.of("", "k1:" + K1 + ",k2:" + K2, "").orElseThrow();
        assertEquals("k2", rotated.primaryKeyId(), "newest (last) is primary");
        assertEquals("pw", rotated.open(old, PROD_SHOP_DB));
        assertFalse(rotated.isCurrent(old));
        String resealed = rotated.reseal(old, PROD_SHOP_DB);
        assertTrue(resealed.startsWith("sealed:v2:k2:"), resealed);
        assertTrue(rotated.isCurrent(resealed));
        assertEquals(resealed, rotated.reseal(resealed, PROD_SHOP_DB), "a current value is left as it is");
        assertEquals("pw", rotated.open(resealed, PROD_SHOP_DB));
        // once k1 is dropped, what was re-sealed still opens and what was not does not
        SecretBox withoutOld = SecretKeyRing.of("", "k2:" + K2, "").orElseThrow();
        assertEquals("pw", withoutOld.open(resealed, PROD_SHOP_DB));
        assertThrows(SecretException.class, () -> withoutOld.open(old, PROD_SHOP_DB));
    }

    static Stream<Arguments> ringSettings() {
        return Stream.of(
                Arguments.of("nothing set", "", "", "", null),
                Arguments.of("the single key", K1, "", "", "default"),
                Arguments.of("a list, newest last", "", "a:" + K1 + ",b:" + K2, "", "b"),
                Arguments.of("a list with an explicit primary", "", "a:" + K1 + ",b:" + K2, "a", "a"),
                Arguments.of("the single key beside a list", K1, "b:" + K2, "", "b"),
                Arguments.of("the single key made primary", K1, "b:" + K2, "default", "default"),
                Arguments.of("spaces and empty entries", "", " a:" + K1 + " ,, ", "", "a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ringSettings")
    void ringSettingsNameThePrimary(String what, String key, String keys, String primary, String expectedPrimary) {
        assertEquals(expectedPrimary, SecretKeyRing.of(key, keys, primary).map(SecretBox::primaryKeyId).orElse(null));
    }

    static Stream<Arguments> badRingSettings() {
        return Stream.of(
                Arguments.of("a short key", "c2hvcnQ=", "", ""),
                Arguments.of("a key that is not base64", "not base64 at all!", "", ""),
                Arguments.of("an entry without an id", "", ":" + K1, ""),
                Arguments.of("an entry without a colon", "", K1, ""),
                Arguments.of("an id with a bad character", "", "a|b:" + K1, ""),
                Arguments.of("one id, two keys", "", "a:" + K1 + ",a:" + K2, ""),
                Arguments.of("a primary not in the ring", "", "a:" + K1, "b"),
                Arguments.of("a primary without keys", "", "", "a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRingSettings")
    void badRingSettingsStopTheService(String what, String key, String keys, String primary) {
        assertThrows(IllegalArgumentException.class, () -> SecretKeyRing.of(key, keys, primary));
    }

    @Test
    void scopesAreCanonical() {
        assertEquals("stagecraft-secret|v2|k1|instance|production|shop|DB_PASSWORD",
                PROD_SHOP_DB.associatedData("k1"));
        assertEquals("stagecraft-secret|v2|k1|environment|production|*|DB_PASSWORD",
                SecretScope.environment("production", "DB_PASSWORD").associatedData("k1"));
        assertThrows(IllegalArgumentException.class, () -> SecretScope.instance("prod|shop", "x", "Y"));
        assertThrows(IllegalArgumentException.class, () -> SecretScope.instance("", "x", "Y"));
        assertThrows(IllegalArgumentException.class, () -> SecretScope.instance(null, "x", "Y"));
    }

    @Test
    void looksSealedCoversEveryVersion() {
        assertTrue(SecretBox.looksSealed("sealed:v1:abc"));
        assertTrue(SecretBox.looksSealed("sealed:v9:whatever"));
        assertFalse(SecretBox.looksSealed("Sealed with a kiss"));
        assertFalse(SecretBox.looksSealed(null));
    }
}
