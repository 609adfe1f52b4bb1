package dev.stagecraft.release.flags;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line that says what a flag change did, for the timeline of a running deployment: which of the stored fields
 * moved, and how for the two a person reads at a glance (state, default variant). Variant values and rules are
 * only said to have changed: they can be long, and the environment's history and the audit log have them whole.
 * Pure: a table test pins every case.
 */
public final class FlagChangeSummary {
    private FlagChangeSummary() {
    }

    /** {@code before} null: created; {@code after} null: deleted. Both are stored definitions. */
    public static String line(String key, long version, String actor, JsonNode before, JsonNode after) {
        String head = "flag " + key + " ";
        if (before == null) {
            return head + "created by " + actor + " (version " + version + "): " + text(after, "state") + ", default "
                    + text(after, "defaultVariant") + ", " + count(after.path("variants").size(), "variant") + ", "
                    + count(after.path("rules").size(), "rule");
        }
        if (after == null) {
            return head + "deleted by " + actor + " (was " + text(before, "state") + ", default "
                    + text(before, "defaultVariant") + ")";
        }
        List<String> moves = new ArrayList<>();
        moved(moves, "state", before, after);
        moved(moves, "defaultVariant", before, after);
        if (!Objects.equals(before.get("variants"), after.get("variants"))) {
            moves.add("variants changed");
        }
        if (!Objects.equals(before.get("rules"), after.get("rules"))) {
            moves.add("rules changed");
        }
        return head + "changed by " + actor + " (version " + version + "): "
                + (moves.isEmpty() ? "put again unchanged" : String.join("; ", moves));
    }

    private static void moved(List<String> moves, String field, JsonNode before, JsonNode after) {
        String was = text(before, field);
        String is = text(after, field);
        if (!was.equals(is)) {
            moves.add(field + " " + was + " → " + is);
        }
    }

    private static String text(JsonNode definition, String field) {
        return definition.path(field).asText("");
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
