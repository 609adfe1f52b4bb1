package dev.stagecraft.release.flags.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** A flag of one service in one environment, as validated by {@code FlagValidation}. */
public record FlagDefinition(String key, Map<String, JsonNode> variants, String defaultVariant, FlagState state,
        List<FlagRule> rules) {
    public FlagDefinition {
        variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
