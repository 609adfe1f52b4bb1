package dev.stagecraft.platform.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform's {@link SecretBox}, if any key is configured:
 * <ul>
 * <li>{@code stagecraft.secrets.keys} (env {@code STAGECRAFT_SECRETS_KEYS}): {@code kid1:base64,kid2:base64};</li>
 * <li>{@code stagecraft.secrets.key} (env {@code STAGECRAFT_SECRETS_KEY}): one key, id {@value SecretBox#DEFAULT_KEY_ID};</li>
 * <li>{@code stagecraft.secrets.primary} (env {@code STAGECRAFT_SECRETS_PRIMARY}): the id that seals new values;
 * by default the last of {@code keys}, else {@value SecretBox#DEFAULT_KEY_ID}.</li>
 * </ul>
 * A bad setting stops the service at start rather than at the first secret.
 */
@ApplicationScoped
public class Secrets {
    private final Optional<SecretBox> box;

    public Secrets(@ConfigProperty(name = "stagecraft.secrets.key") Optional<String> key,
            @ConfigProperty(name = "stagecraft.secrets.keys") Optional<String> keys,
            @ConfigProperty(name = "stagecraft.secrets.primary") Optional<String> primary) {
        this.box = ring(key.orElse(""), keys.orElse(""), primary.orElse(""));
    }

    public Optional<SecretBox> box() {
        return box;
    }

    /** The ring these settings describe; empty when none of them names a key. */
    public static Optional<SecretBox> ring(String singleKey, String keyList, String primary) {
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
                throw new IllegalArgumentException("STAGECRAFT_SECRETS_KEYS entries must read kid:base64-key");
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
                throw new IllegalArgumentException("STAGECRAFT_SECRETS_PRIMARY is set but no secrets key is");
            }
            return Optional.empty();
        }
        return Optional.of(new SecretBox(ring, primary.isBlank() ? last : primary.trim()));
    }
}
