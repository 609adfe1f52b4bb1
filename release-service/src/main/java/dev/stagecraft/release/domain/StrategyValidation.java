package dev.stagecraft.release.domain;

import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.contracts.StrategyRules;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.api.JsonErrors;
import dev.stagecraft.platform.api.Violations;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns the strategy object of a deployment request into the saga's {@link StrategySpec} with its defaults
 * filled in ({@link StrategyRules}), or names every field that is wrong with it. The body arrives as a JSON
 * tree rather than a record, because reading it straight into one would drop unknown fields without a word
 * (Quarkus ignores them) and stop at the first field of the wrong type.
 */
@ApplicationScoped
public class StrategyValidation {
    /** Far more than a strategy has fields: each round drops one field of the wrong type. */
    private static final int MAX_TYPE_ERRORS = 40;

    private final ObjectReader reader;

    public StrategyValidation(ObjectMapper mapper) {
        // 2.5 replicas or a weight of 5.7 are mistakes, not something to round down quietly.
        this.reader = mapper.readerFor(StrategySpec.class).without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /** The strategy with its defaults, or null when {@code v} has been told why there is none. */
    public StrategySpec check(Violations v, JsonNode strategy) {
        boolean absent = strategy == null || strategy.isNull() || strategy.isMissingNode();
        if (!absent && !strategy.isObject()) {
            v.add(StrategyFields.ROOT, "must be an object such as {\"type\":\"rolling\"}, was " + strategy.getNodeType()
                    .name().toLowerCase());
            return null;
        }
        FieldProblems problems = new FieldProblems();
        ObjectNode tree = absent ? null : ((ObjectNode) strategy).deepCopy();
        StrategySpec given = null;
        if (tree != null) {
            StrategyFields.checkShape(tree, problems);
            given = read(tree, problems);
        }
        StrategyRules.Checked checked = StrategyRules.check(given);
        checked.problems().forEach(p -> problems.add(p.field(), p.message()));
        if (checked.spec() != null) {
            notANumber(checked.spec().analysis(), problems);
        }
        problems.addTo(v);
        return checked.spec();
    }

    /**
     * Reads the tree, dropping each field Jackson cannot read (a list where a number belongs) after naming
     * it, so that one answer names them all. Null when the object cannot be read at all.
     */
    private StrategySpec read(ObjectNode tree, FieldProblems problems) {
        for (int round = 0; round < MAX_TYPE_ERRORS; round++) {
            try {
                return reader.readValue(tree);
            } catch (JsonMappingException e) {
                List<JsonMappingException.Reference> path = e.getPath();
                problems.add(JsonErrors.pathOf(path, StrategyFields.ROOT), JsonErrors.plainly(e));
                if (!StrategyFields.remove(tree, path)) {
                    return null;
                }
            } catch (java.io.IOException e) {
                problems.add(StrategyFields.ROOT, "cannot be read: " + e.getMessage());
                return null;
            }
        }
        return null;
    }

    /** Jackson reads the text "NaN" as a number, and no threshold comparison refuses NaN. */
    private static void notANumber(AnalysisSpec a, FieldProblems problems) {
        if (a == null) {
            return;
        }
        String at = StrategyFields.ROOT + ".analysis.";
        nan(problems, at + "maxErrorRate", a.maxErrorRate());
        nan(problems, at + "maxErrorRatio", a.maxErrorRatio());
        nan(problems, at + "maxP99Ratio", a.maxP99Ratio());
        nan(problems, at + "baselineErrorFloor", a.baselineErrorFloor());
    }

    private static void nan(FieldProblems problems, String field, Double value) {
        if (value != null && value.isNaN()) {
            problems.add(field, "must be a number, was NaN");
        }
    }
}
