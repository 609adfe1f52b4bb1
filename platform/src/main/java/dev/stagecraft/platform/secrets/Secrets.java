package dev.stagecraft.platform.secrets;

import java.util.Optional;

import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretKeyRing;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's {@link SecretBox}, if any key is configured, read by {@link SecretKeyRing} (the host agents read
 * the same settings the same way): {@code stagecraft.secrets.keys} ({@code STAGECRAFT_SECRETS_KEYS}),
 * {@code stagecraft.secrets.key} ({@code STAGECRAFT_SECRETS_KEY}) and {@code stagecraft.secrets.primary}
 * ({@code STAGECRAFT_SECRETS_PRIMARY}). A bad setting stops the service at start rather than at the first secret.
 */
@ApplicationScoped
public class Secrets {
    private final Optional<SecretBox> box;

    public Secrets(@ConfigProperty(name = "stagecraft.secrets.key") Optional<String> key,
            @ConfigProperty(name = "stagecraft.secrets.keys") Optional<String> keys,
            @ConfigProperty(name = "stagecraft.secrets.primary") Optional<String> primary) {
        this.box = SecretKeyRing.of(key.orElse(""), keys.orElse(""), primary.orElse(""));
    }

    public Optional<SecretBox> box() {
        return box;
    }
}
