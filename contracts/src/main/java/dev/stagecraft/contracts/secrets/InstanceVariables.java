package dev.stagecraft.contracts.secrets;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.stagecraft.contracts.ReleaseSpec;

/**
 * The variables an instance gets from its release: the config as it is, then the secrets, each opened for the
 * instance's environment, the release's service and the variable's own name. The process is the one place where
 * a secret is plain again. Whoever starts the process opens them: inventory-service's local-process driver, or the
 * host agent of the instance's host; both through this class, so both check the same binding.
 *
 * <p>Only the {@code secrets} field is ever opened. A sealed-looking value in config is refused, never opened:
 * it can only be someone's attempt to have a secret of another environment opened for them. A secret sealed for
 * any other environment, service or variable name does not open, and the start fails naming the variable.
 */
public final class InstanceVariables {

    /**
     * Config and opened secrets of {@code release} for an instance in {@code environment}; {@code holder} names the
     * process that opens them (for the message when it has no key). Any refusal is a {@link SecretException} that
     * names the variable and never quotes a value.
     */
    public static Map<String, String> of(String environment, ReleaseSpec release, Optional<SecretBox> box,
            String holder) {
        Map<String, String> variables = new HashMap<>();
        refuseSealedConfig(release);
        variables.putAll(release.config());
        if (release.secrets().isEmpty()) {
            return variables;
        }
        SecretBox secrets = box.orElseThrow(() -> new SecretException("the release has secrets but no secrets key ("
                + SecretKeyRing.KEY + " or " + SecretKeyRing.KEYS + ") is set on " + holder));
        release.secrets().forEach((name, sealed) -> {
            try {
                variables.put(name, secrets.open(sealed, SecretScope.instance(environment, release.service(), name)));
            } catch (IllegalArgumentException e) { // SecretException, or a name that cannot be a scope part
                throw new SecretException("secret " + name + ": " + e.getMessage());
            }
        });
        return variables;
    }

    /**
     * What may leave the process that checks it, on its way to whoever opens the secrets (a host agent, over Kafka):
     * config without sealed-looking values, and secrets that are sealed ({@code sealed:v2:}), so that a plain value
     * never travels. Nothing is opened here.
     */
    public static void requireSealedOnly(ReleaseSpec release) {
        refuseSealedConfig(release);
        release.secrets().forEach((name, value) -> {
            if (value == null || !value.startsWith(SecretBox.PREFIX)) {
                throw new SecretException("secret " + name + " is not a sealed:v2: value; a plain secret is never sent"
                        + " to a host");
            }
        });
    }

    private static void refuseSealedConfig(ReleaseSpec release) {
        release.config().forEach((name, value) -> {
            if (SecretBox.looksSealed(value)) {
                throw new SecretException("config variable " + name + " holds a sealed value; only the environment's"
                        + " secrets are opened, so it is refused");
            }
        });
    }

    private InstanceVariables() {
    }
}
