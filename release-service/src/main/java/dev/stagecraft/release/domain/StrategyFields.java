package dev.stagecraft.release.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.contracts.StrategySpec;

/**
 * The shape of a strategy object before it is read: which fields exist at each level (taken from the
 * contract's records, so that a field added there is known here), that {@code steps} is a list of objects
 * and {@code analysis} an object. What is wrong is named and taken out of the tree, so that the rest can
 * still be read and checked and one answer names every problem.
 */
final class StrategyFields {
    static final String ROOT = "strategy";
    /** StrategyRules refuses more steps too; looking into each of thousands would only swell the answer. */
    static final int MAX_STEPS = 20;
    static final Set<String> STRATEGY = names(StrategySpec.class);
    static final Set<String> STEP = names(StrategySpec.CanaryStep.class);
    static final Set<String> ANALYSIS = names(AnalysisSpec.class);

    static void checkShape(ObjectNode strategy, FieldProblems problems) {
        unknownFields(strategy, ROOT, STRATEGY, "a strategy has", problems);
        JsonNode steps = strategy.get("steps");
        if (steps != null && !steps.isNull()) {
            if (!steps.isArray()) {
                drop(strategy, "steps", problems, "must be a list of steps such as [{\"weight\":5,\"analysis\":\"30s\"}]");
            } else if (steps.size() > MAX_STEPS) {
                drop(strategy, "steps", problems, "at most " + MAX_STEPS + " steps, was " + steps.size());
            } else {
                checkSteps((ArrayNode) steps, problems);
            }
        }
        JsonNode analysis = strategy.get("analysis");
        if (analysis != null && !analysis.isNull()) {
            if (analysis.isObject()) {
                unknownFields((ObjectNode) analysis, ROOT + ".analysis", ANALYSIS, "analysis thresholds are", problems);
            } else {
                drop(strategy, "analysis", problems, "must be an object of thresholds such as {\"maxErrorRate\":0.01}");
            }
        }
    }

    private static void checkSteps(ArrayNode steps, FieldProblems problems) {
        for (int i = 0; i < steps.size(); i++) {
            String at = ROOT + ".steps[" + i + "]";
            if (steps.get(i).isObject()) {
                unknownFields((ObjectNode) steps.get(i), at, STEP, "a step has", problems);
            } else {
                problems.add(at, "must be an object with a weight such as {\"weight\":5}, was "
                        + steps.get(i).getNodeType().name().toLowerCase());
                steps.set(i, steps.objectNode()); // keeps the later steps' indices, which the answer names
            }
        }
    }

    /** Quarkus reads JSON leniently: a misspelt field would otherwise be dropped and its default used. */
    private static void unknownFields(ObjectNode node, String at, Set<String> known, String what,
            FieldProblems problems) {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                unknown.add(name);
            }
        });
        for (String name : unknown) {
            problems.add(at + "." + name, "unknown field: " + what + " " + String.join(", ", known));
            node.remove(name);
        }
    }

    private static void drop(ObjectNode parent, String field, FieldProblems problems, String message) {
        problems.add(ROOT + "." + field, message);
        parent.remove(field);
    }

    /**
     * Takes the field at {@code path} out of the tree (a list element becomes an empty object, so that the
     * others keep their places). False if there is nothing to take out: the tree cannot be read further.
     */
    static boolean remove(ObjectNode tree, List<JsonMappingException.Reference> path) {
        if (path.isEmpty()) {
            return false;
        }
        JsonNode parent = tree;
        for (JsonMappingException.Reference ref : path.subList(0, path.size() - 1)) {
            parent = ref.getFieldName() != null ? parent.get(ref.getFieldName()) : parent.get(ref.getIndex());
            if (parent == null) {
                return false;
            }
        }
        JsonMappingException.Reference last = path.get(path.size() - 1);
        if (last.getFieldName() != null && parent instanceof ObjectNode object && object.has(last.getFieldName())) {
            object.remove(last.getFieldName());
            return true;
        }
        if (last.getFieldName() == null && parent instanceof ArrayNode array && last.getIndex() >= 0
                && last.getIndex() < array.size()) {
            array.set(last.getIndex(), array.objectNode());
            return true;
        }
        return false;
    }

    private static Set<String> names(Class<? extends Record> record) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.stream(record.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList()));
    }

    private StrategyFields() {
    }
}
