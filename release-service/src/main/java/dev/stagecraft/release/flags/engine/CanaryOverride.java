package dev.stagecraft.release.flags.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A canary deployment's override of one flag, for the instances of its canary pool: the named variant wins over the
 * flag's state and rules, answered as TARGETING_MATCH (the instance's pool is what was targeted) with metadata
 * {@code override: canary} and the {@code deployment}. A context the flag could not take is refused all the same,
 * and a variant the flag no longer has (changed since the deployment was requested) leaves the flag as stored:
 * the override only ever chooses among the flag's own values. Pure.
 */
public final class CanaryOverride {
    public static final String OVERRIDE = "override";
    public static final String CANARY = "canary";
    public static final String DEPLOYMENT = "deployment";

    private CanaryOverride() {
    }

    /** {@code variant} null: no override for this flag, the flag as stored. */
    public static Evaluation evaluate(FlagDefinition flag, JsonNode context, String variant, String deploymentId) {
        Evaluation stored = FlagEvaluator.evaluate(flag, context);
        if (variant == null || !flag.variants().containsKey(variant)
                || (stored.failed() && stored.errorCode() == ErrorCode.INVALID_CONTEXT)) {
            return stored;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(OVERRIDE, CANARY);
        metadata.put(DEPLOYMENT, deploymentId);
        return Evaluation.success(flag.key(), variant, flag.variants().get(variant), Reason.TARGETING_MATCH)
                .withMetadata(metadata);
    }
}
