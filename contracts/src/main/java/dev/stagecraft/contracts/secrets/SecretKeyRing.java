package dev.stagecraft.contracts.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link SecretBox} that the secrets settings describe, read the same way by every process that holds the key
 * ring (the services through {@code platform}'s {@code Secrets}, the host agents from their environment):
 * <ul>
 * <li>{@code STAGECRAFT_SECRETS_KEYS}: {@code kid1:base64,kid2:base64};</li>
 * <li>{@code STAGECRAFT_SECRETS_KEY}: one key, id {@value SecretBox#DEFAULT_KEY_ID};</li>
 * <li>{@code STAGECRAFT_SECRETS_PRIMARY}: the id that seals new values; by default the last of {@code keys}, else
 * {@value SecretBox#DEFAULT_KEY_ID}.</li>
 * </ul>
 */
public final class SecretKeyRing {
    public static final String KEY = "STAGECRAFT_SECRETS_KEY";
    public static final String KEYS = "STAGECRAFT_SECRETS_KEYS";
    public static final String PRIMARY = "STAGECRAFT_SECRETS_PRIMARY";

    private SecretKeyRing() {
    }

    /** The ring of these environment variables (unset ones count as empty); empty when none names a key. */
    public static Optional<SecretBox> fromEnvironment(Map<String, String> env) {
        return of(env.getOrDefault(KEY, ""), env.getOrDefault(KEYS, ""), env.getOrDefault(PRIMARY, ""));
    }

    /**
     * The ring these settings describe; empty when none of them names a key. A bad setting is an
     * {@link IllegalArgumentException} naming it, so that a process stops at start rather than at the first secret.
     */
    public static Optional<SecretBox> of(String singleKey, String keyList, String primary) {
        Map<String, String> ring = new LinkedHashMap<>();
        if (!singleKey.isBlank()) {
            ring.put(SecretBox.DEFAULT_KEY_ID, singleKey.trim());
        }
        String last = ring.isEmpty() ? null : SecretBox.DEFAULT_KEY_ID;
        for (String entry : keyList.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(KEYS + " entries must read kid:base64-key");
            }
            String id = entry.substring(0, colon).trim();
            if (ring.containsKey(id) && !ring.get(id).equals(entry.substring(colon + 1).trim())) {
                throw new IllegalArgumentException("secrets key id '" + id + "' is given twice with different keys");
            }
            ring.put(id, entry.substring(colon + 1).trim());
            last = id;
        }
        if (ring.isEmpty()) {
            if (!primary.isBlank()) {
                throw new IllegalArgumentException(PRIMARY + " is set but no secrets key is");
            }
            return Optional.empty();
        }
        return Optional.of(new SecretBox(ring, primary.isBlank() ? last : primary.trim()));
    }
}
