package dev.stagecraft.release.secrets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretScope;
import dev.stagecraft.platform.secrets.Secrets;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The secrets release-service keeps: an environment's secrets and the webhook signing secrets, sealed at rest
 * ({@link SecretScope#environment}, {@link SecretScope#webhook}) and opened only where the plain value is needed:
 * to re-seal a secret for the instances of one service ({@link SecretScope#instance}), to scrub a timeline
 * message, to sign a webhook request.
 */
@ApplicationScoped
public class StoredSecrets {
    private final Secrets secrets;

    public StoredSecrets(Secrets secrets) {
        this.secrets = secrets;
    }

    public boolean configured() {
        return secrets.box().isPresent();
    }

    /**
     * The secrets to store for {@code environment}: a value that came back as "***" is the stored, sealed one and
     * stays; a plain value equal to the stored one keeps the stored seal too (so the audit sees no change);
     * any other is sealed. {@code requested} holds no user-supplied sealed value (validation refuses them).
     */
    public Map<String, String> forStorage(String environment, Map<String, String> requested, Map<String, String> stored) {
        Map<String, String> sealed = new LinkedHashMap<>();
        if (requested.isEmpty()) {
            return sealed;
        }
        SecretBox box = box("secrets");
        requested.forEach((name, value) -> {
            SecretScope scope = SecretScope.environment(environment, name);
            if (SecretBox.looksSealed(value)) {
                sealed.put(name, value);
            } else if (stored.containsKey(name) && value.equals(openOrNull(box, stored.get(name), scope))) {
                sealed.put(name, stored.get(name));
            } else {
                sealed.put(name, box.seal(value, scope));
            }
        });
        return sealed;
    }

    /** The plain values of an environment's secrets, for scrubbing text that might quote them. */
    public Map<String, String> plain(EnvironmentEntity environment) {
        Map<String, String> plain = new LinkedHashMap<>();
        if (environment == null || environment.secrets.isEmpty() || !configured()) {
            return plain;
        }
        SecretBox box = box("secrets");
        environment.secrets.forEach((name, sealed) -> {
            String value = openOrNull(box, sealed, SecretScope.environment(environment.name, name));
            if (value != null) {
                plain.put(name, value);
            }
        });
        return plain;
    }

    /**
     * An environment's secrets sealed for the instances of {@code service} there, for the release spec: only
     * the driver opens them, and only for that environment, that service and that variable.
     */
    public Map<String, String> sealedForInstances(EnvironmentEntity environment, String service) {
        Map<String, String> sealed = new LinkedHashMap<>();
        if (environment.secrets.isEmpty()) {
            return sealed;
        }
        SecretBox box = box("secrets");
        environment.secrets.forEach((name, atRest) -> sealed.put(name, box.seal(
                box.open(atRest, SecretScope.environment(environment.name, name)),
                SecretScope.instance(environment.name, service, name))));
        return sealed;
    }

    /** {@code plain} sealed for the instances of {@code service} in {@code environment} as variable {@code name}. */
    public String sealForInstances(String environment, String service, String name, String plain) {
        return box("secrets").seal(plain, SecretScope.instance(environment, service, name));
    }

    public String sealWebhookSecret(String subscriptionId, String plain) {
        return box("secret").seal(plain, SecretScope.webhook(subscriptionId));
    }

    public String openWebhookSecret(String subscriptionId, String sealed) {
        return box("secret").open(sealed, SecretScope.webhook(subscriptionId));
    }

    SecretBox box(String field) {
        // Without a key a secret could only be kept in plain text: refuse rather than do that.
        return secrets.box().orElseThrow(() -> ApiProblem.unprocessable("secrets cannot be kept without a secrets key",
                List.of(new Problem.Violation(field, "set STAGECRAFT_SECRETS_KEY (a base64 256-bit key) or"
                        + " STAGECRAFT_SECRETS_KEYS on release-service and inventory-service to use secrets"))));
    }

    private static String openOrNull(SecretBox box, String sealed, SecretScope scope) {
        try {
            return box.open(sealed, scope);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
