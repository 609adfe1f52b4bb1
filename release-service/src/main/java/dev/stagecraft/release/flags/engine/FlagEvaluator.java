package dev.stagecraft.release.flags.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Evaluates one flag for one context. Pure: no clock, no I/O, the same answer for the same input.
 * <ol>
 * <li>DISABLED flag: the default variant, reason DISABLED (rules are not consulted);</li>
 * <li>the first rule whose conditions all hold decides: its variant (TARGETING_MATCH) or its split (SPLIT, which
 * needs a string {@code targetingKey}: TARGETING_KEY_MISSING otherwise);</li>
 * <li>no rule: the default variant, STATIC when the flag has no rules, DEFAULT when none matched.</li>
 * </ol>
 */
public final class FlagEvaluator {
    private FlagEvaluator() {
    }

    /** {@code context} must be a JSON object (the caller answers INVALID_CONTEXT otherwise). */
    public static Evaluation evaluate(FlagDefinition flag, JsonNode context) {
        if (context == null || !context.isObject()) {
            return Evaluation.failure(flag.key(), ErrorCode.INVALID_CONTEXT, "the context must be a JSON object");
        }
        JsonNode targetingKey = context.get("targetingKey");
        if (targetingKey != null && !targetingKey.isNull() && !targetingKey.isTextual()) {
            return Evaluation.failure(flag.key(), ErrorCode.INVALID_CONTEXT, "targetingKey must be a string");
        }
        if (!flag.variants().containsKey(flag.defaultVariant())) {
            // Validation prevents this; a definition that slipped past it must not answer a made-up value.
            return Evaluation.failure(flag.key(), ErrorCode.GENERAL,
                    "flag '" + flag.key() + "' has no variant '" + flag.defaultVariant() + "' to default to");
        }
        if (flag.state() == FlagState.DISABLED) {
            return served(flag, flag.defaultVariant(), Reason.DISABLED);
        }
        for (FlagRule rule : flag.rules()) {
            if (!rule.when().stream().allMatch(condition -> condition.holds(context))) {
                continue;
            }
            if (!rule.isSplit()) {
                return served(flag, rule.variant(), Reason.TARGETING_MATCH);
            }
            if (targetingKey == null || targetingKey.isNull()) {
                return Evaluation.failure(flag.key(), ErrorCode.TARGETING_KEY_MISSING,
                        "flag '" + flag.key() + "' splits by targetingKey, and the context has none");
            }
            return served(flag, pick(rule, Bucket.of(flag.key(), targetingKey.asText())), Reason.SPLIT);
        }
        return served(flag, flag.defaultVariant(), flag.rules().isEmpty() ? Reason.STATIC : Reason.DEFAULT);
    }

    /** The share whose cumulative range holds the bucket; shares add up to 100 %, so one always does. */
    static String pick(FlagRule rule, int bucket) {
        int upTo = 0;
        for (Share share : rule.split()) {
            upTo += share.basisPoints();
            if (bucket < upTo) {
                return share.variant();
            }
        }
        return rule.split().get(rule.split().size() - 1).variant();
    }

    private static Evaluation served(FlagDefinition flag, String variant, Reason reason) {
        JsonNode value = flag.variants().get(variant);
        if (value == null) {
            return Evaluation.failure(flag.key(), ErrorCode.GENERAL,
                    "flag '" + flag.key() + "' has no variant '" + variant + "'");
        }
        return Evaluation.success(flag.key(), variant, value, reason);
    }
}
