package dev.stagecraft.platform.secrets;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The platform's {@link SecretBox}, from {@code stagecraft.secrets.key} (env STAGECRAFT_SECRETS_KEY), if set. */
@ApplicationScoped
public class Secrets {
    private final Optional<SecretBox> box;

    public Secrets(@ConfigProperty(name = "stagecraft.secrets.key") Optional<String> key) {
        this.box = key.filter(k -> !k.isBlank()).map(SecretBox::ofBase64Key);
    }

    public Optional<SecretBox> box() {
        return box;
    }
}
