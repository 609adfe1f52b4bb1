package dev.stagecraft.contracts.secrets;

import java.util.regex.Pattern;

/**
 * Where a sealed secret belongs; it becomes the AEAD associated data of the seal, so a value sealed for one
 * scope does not open in any other. The AAD is canonical:
 * {@code stagecraft-secret|v2|<kid>|<purpose>|<environment>|<service>|<name>}. No part may be empty or contain
 * {@code |}, so two different scopes never give the same AAD.
 *
 * <ul>
 * <li>{@code purpose} keeps values of one use out of another: {@link #INSTANCE} values travel to one fleet's
 * instances, {@link #ENVIRONMENT} values rest in release-service's environment table, {@link #WEBHOOK} values
 * are webhook signing secrets at rest.</li>
 * <li>{@code name} binds the variable name too, so two sealed values of one environment and service cannot be
 * swapped between variables (DB_PASSWORD's value handed over as API_TOKEN).</li>
 * </ul>
 */
public record SecretScope(String purpose, String environment, String service, String name) {
    public static final String INSTANCE = "instance";
    public static final String ENVIRONMENT = "environment";
    public static final String WEBHOOK = "webhook";
    /** Stands for "every service" or "no environment" in scopes that have none. */
    public static final String ANY = "*";
    private static final Pattern PART = Pattern.compile("[^|\\p{Cntrl}]{1,200}");

    public SecretScope {
        for (String part : new String[] { purpose, environment, service, name }) {
            if (part == null || !PART.matcher(part).matches()) {
                throw new IllegalArgumentException("a secret scope part must be 1-200 characters without '|': '"
                        + part + "'");
            }
        }
    }

    /** A secret on its way to the instances of {@code service} in {@code environment}, as variable {@code name}. */
    public static SecretScope instance(String environment, String service, String name) {
        return new SecretScope(INSTANCE, environment, service, name);
    }

    /** An environment's secret at rest: it applies to every service of that environment. */
    public static SecretScope environment(String environment, String name) {
        return new SecretScope(ENVIRONMENT, environment, ANY, name);
    }

    /** The signing secret of one webhook subscription, at rest. */
    public static SecretScope webhook(String subscriptionId) {
        return new SecretScope(WEBHOOK, ANY, subscriptionId, "secret");
    }

    /** The associated data of a value sealed with key {@code keyId} for this scope. */
    String associatedData(String keyId) {
        return String.join("|", "stagecraft-secret", "v2", keyId, purpose, environment, service, name);
    }

    @Override
    public String toString() {
        return purpose + " secret " + name + " of " + service + " in " + environment;
    }
}
