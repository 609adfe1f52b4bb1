package dev.stagecraft.contracts.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret values with AES-256-GCM under a key ring, bound to a {@link SecretScope} (the AEAD associated
 * data), so that they can rest in tables and travel in events without being readable there, and open only
 * where they belong. A sealed value reads {@code sealed:v2:<kid>:<base64(iv ‖ ciphertext ‖ tag)>}.
 *
 * <p>New values are sealed with the primary key; values sealed with any other key of the ring still open, so
 * keys can be rotated: add a new key, make it primary, re-seal what is stored, then drop the old key.
 *
 * <p>{@code sealed:v1:} values (no key id, no associated data) are refused: nothing bound them to an
 * environment, so opening them is exactly what let a value from one environment reach another.
 */
public final class SecretBox {
    /** Anything that starts like this is treated as sealed and never accepted from a user as a plain value. */
    public static final String SEALED = "sealed:";
    public static final String PREFIX = "sealed:v2:";
    /** The key id of a ring made from the single {@code STAGECRAFT_SECRETS_KEY}. */
    public static final String DEFAULT_KEY_ID = "default";
    public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKeySpec> keys;
    private final String primary;

    /** {@code keys} by id (base64 256-bit keys); {@code primary} seals new values. */
    public SecretBox(Map<String, String> keys, String primary) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a secrets key ring needs at least one key");
        }
        Map<String, SecretKeySpec> ring = new LinkedHashMap<>();
        keys.forEach((id, base64) -> {
            if (id == null || !KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("secrets key id '" + id + "' must be 1-32 of A-Z a-z 0-9 _ . -");
            }
            ring.put(id, new SecretKeySpec(decodeKey(id, base64), "AES"));
        });
        if (!ring.containsKey(primary)) {
            throw new IllegalArgumentException("the primary secrets key '" + primary + "' is not in the key ring "
                    + ring.keySet());
        }
        this.keys = Map.copyOf(ring);
        this.primary = primary;
    }

    /** A ring of one key, id {@value #DEFAULT_KEY_ID}: what the single {@code STAGECRAFT_SECRETS_KEY} gives. */
    public static SecretBox ofBase64Key(String base64) {
        return new SecretBox(Map.of(DEFAULT_KEY_ID, base64), DEFAULT_KEY_ID);
    }

    /** A new random key, base64, for the local platform's key file. */
    public static String newBase64Key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Whether {@code value} looks sealed, in any format version: such a value is never taken from a user as
     * plain config, and never passed on as if it were one.
     */
    public static boolean looksSealed(String value) {
        return value != null && value.startsWith(SEALED);
    }

    public String primaryKeyId() {
        return primary;
    }

    /** The key id a sealed value names, or null if it is not a {@code sealed:v2:} value. */
    public static String keyIdOf(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            return null;
        }
        int colon = sealed.indexOf(':', PREFIX.length());
        return colon < 0 ? null : sealed.substring(PREFIX.length(), colon);
    }

    /** Whether {@code sealed} is sealed with the primary key already (re-sealing would change nothing). */
    public boolean isCurrent(String sealed) {
        return primary.equals(keyIdOf(sealed));
    }

    public String seal(String plaintext, SecretScope scope) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(primary), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(scope.associatedData(primary).getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + primary + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret", e);
        }
    }

    /**
     * The plaintext of a value sealed for {@code scope}. Anything else fails with a {@link SecretException} that
     * never quotes the value: a plain or v1 value, an unknown key id, another scope, a tampered value.
     */
    public String open(String sealed, SecretScope scope) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new SecretException(sealed != null && sealed.startsWith("sealed:v1:")
                    ? "a sealed:v1: value is not bound to an environment and is no longer opened; set the secret again"
                    : "not a sealed:v2: value");
        }
        String kid = keyIdOf(sealed);
        if (kid == null || !keys.containsKey(kid)) {
            throw new SecretException("sealed with key '" + kid + "', which is not in this service's key ring "
                    + keys.keySet());
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length() + kid.length() + 1));
            if (all.length < IV_BYTES + TAG_BITS / 8) {
                throw new SecretException("sealed value is too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, keys.get(kid), new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(scope.associatedData(kid).getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretException("does not open as the " + scope + " (sealed for another environment, service"
                    + " or variable, or tampered with)");
        }
    }

    /** {@code sealed} under the primary key, same scope; unchanged if it is sealed with it already. */
    public String reseal(String sealed, SecretScope scope) {
        return isCurrent(sealed) ? sealed : seal(open(sealed, scope), scope);
    }

    private static byte[] decodeKey(String id, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secrets key '" + id + "' is not base64", e);
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("secrets key '" + id + "' must be 32 bytes (256 bits), it is "
                    + key.length);
        }
        return key;
    }
}
