package dev.stagecraft.inventory.driver;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.platform.secrets.SecretBox;
import dev.stagecraft.platform.secrets.SecretScope;

/**
 * The variables an instance gets from its release: the config as it is, then the secrets, each opened for the
 * instance's environment, the release's service and the variable's own name. The process is the one place where
 * a secret is plain again.
 *
 * <p>Only the {@code secrets} field is ever opened. A sealed-looking value in config is refused, never opened:
 * it can only be someone's attempt to have a secret of another environment opened for them. A secret sealed for
 * any other environment, service or variable name does not open, and the start fails naming the variable.
 */
final class InstanceVariables {

    static Map<String, String> of(String environment, ReleaseSpec release, Optional<SecretBox> box) {
        Map<String, String> variables = new HashMap<>();
        release.config().forEach((name, value) -> {
            if (SecretBox.looksSealed(value)) {
                throw new DriverException("config variable " + name + " holds a sealed value; only the environment's"
                        + " secrets are opened, so it is refused");
            }
            variables.put(name, value);
        });
        if (release.secrets().isEmpty()) {
            return variables;
        }
        SecretBox secrets = box.orElseThrow(() -> new DriverException("the release has secrets but no secrets key"
                + " (STAGECRAFT_SECRETS_KEY or STAGECRAFT_SECRETS_KEYS) is set on inventory-service"));
        release.secrets().forEach((name, sealed) -> {
            try {
                variables.put(name, secrets.open(sealed, SecretScope.instance(environment, release.service(), name)));
            } catch (IllegalArgumentException e) { // SecretException, or a name that cannot be a scope part
                throw new DriverException("secret " + name + ": " + e.getMessage(), e);
            }
        });
        return variables;
    }

    private InstanceVariables() {
    }
}
