package dev.stagecraft.release.flags.engine;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of one evaluation: a variant and its value with a reason, or an error code with details.
 * {@code metadata} (OFREP's flag metadata: strings, numbers, booleans) says where an answer came from when the flag's
 * own definition is not the whole story, e.g. a canary's override; empty otherwise.
 */
public record Evaluation(String key, String variant, JsonNode value, Reason reason, ErrorCode errorCode,
        String errorDetails, Map<String, Object> metadata) {

    public Evaluation {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static Evaluation success(String key, String variant, JsonNode value, Reason reason) {
        return new Evaluation(key, variant, value, reason, null, null, Map.of());
    }

    public static Evaluation failure(String key, ErrorCode code, String details) {
        return new Evaluation(key, null, null, null, code, details, Map.of());
    }

    public Evaluation withMetadata(Map<String, Object> more) {
        return new Evaluation(key, variant, value, reason, errorCode, errorDetails, more);
    }

    public boolean failed() {
        return errorCode != null;
    }
}
