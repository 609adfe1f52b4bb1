package dev.stagecraft.release.flags.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** The outcome of one evaluation: a variant and its value with a reason, or an error code with details. */
public record Evaluation(String key, String variant, JsonNode value, Reason reason, ErrorCode errorCode,
        String errorDetails) {

    public static Evaluation success(String key, String variant, JsonNode value, Reason reason) {
        return new Evaluation(key, variant, value, reason, null, null);
    }

    public static Evaluation failure(String key, ErrorCode code, String details) {
        return new Evaluation(key, null, null, null, code, details);
    }

    public boolean failed() {
        return errorCode != null;
    }
}
