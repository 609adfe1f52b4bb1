package dev.stagecraft.release.flags.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a canary's flag overrides name flags that exist in the deployment's service and environment, and variants
 * those flags have; checked when the deployment is requested, so that a typo is a 400 naming it rather than an
 * override that silently never applies. Pure: problems by field, in the order the overrides were given.
 */
public final class FlagOverrideCheck {
    public static final String FIELD = "strategy.flagOverrides";

    private FlagOverrideCheck() {
    }

    /** {@code flags}: the flags of the deployment's service in its environment, by key. */
    public static Map<String, String> problems(Map<String, String> overrides, Map<String, FlagDefinition> flags,
            String service, String environment) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (overrides == null) {
            return problems;
        }
        overrides.forEach((key, variant) -> {
            FlagDefinition flag = flags.get(key);
            if (flag == null) {
                problems.put(FIELD + "." + key, "flag '" + key + "' does not exist for " + service + " in "
                        + environment + (flags.isEmpty() ? " (it has no flags)" : ": one of " + flags.keySet()));
            } else if (variant != null && !flag.variants().containsKey(variant)) {
                problems.put(FIELD + "." + key, "'" + variant + "' is not a variant of flag '" + key + "': one of "
                        + flag.variants().keySet());
            }
        });
        return problems;
    }
}
