package dev.stagecraft.release.flags;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.stagecraft.release.flags.engine.ErrorCode;
import dev.stagecraft.release.flags.engine.Evaluation;
import dev.stagecraft.release.flags.engine.Reason;

/** Evaluations in the shapes of the OFREP schemas (evaluationSuccess, evaluationFailure, flagNotFound, …). */
final class OfrepAnswers {
    private OfrepAnswers() {
    }

    static ObjectNode of(Evaluation evaluation, ObjectMapper mapper) {
        ObjectNode out = mapper.createObjectNode();
        out.put("key", evaluation.key());
        if (evaluation.failed()) {
            out.put("errorCode", evaluation.errorCode().name());
            out.put("errorDetails", evaluation.errorDetails());
            return out;
        }
        out.set("value", evaluation.value());
        out.put("reason", wire(evaluation.reason()));
        out.put("variant", evaluation.variant());
        if (!evaluation.metadata().isEmpty()) {
            out.set("metadata", mapper.valueToTree(new java.util.TreeMap<>(evaluation.metadata())));
        }
        return out;
    }

    /** OFREP's reason enum has no DEFAULT: a fall-through to the default variant is the flag's static answer. */
    static String wire(Reason reason) {
        return reason == Reason.DEFAULT ? Reason.STATIC.name() : reason.name();
    }

    static ObjectNode failure(String key, ErrorCode code, String details, ObjectMapper mapper) {
        ObjectNode out = mapper.createObjectNode();
        if (key != null) {
            out.put("key", key);
        }
        out.put("errorCode", code.name());
        out.put("errorDetails", details);
        return out;
    }
}
