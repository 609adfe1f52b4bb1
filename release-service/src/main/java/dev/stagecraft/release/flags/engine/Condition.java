package dev.stagecraft.release.flags.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code {"attribute": "plan", "op": "equals", "value": "pro"}}: compares one attribute of the evaluation context
 * ({@code targetingKey} included) with a value. A missing attribute matches nothing, not even {@code not-equals}
 * or {@code not-in}: a rule about plans says nothing about callers that send no plan. A value of another type than
 * the comparison needs (a string for {@code greater-than}) does not match either; it is not an error, because
 * contexts come from applications the flag's author does not control.
 */
public record Condition(String attribute, Op op, JsonNode value) {

    public boolean holds(JsonNode context) {
        JsonNode actual = context.get(attribute);
        if (actual == null || actual.isNull()) {
            return false;
        }
        return switch (op) {
            case EQUALS -> same(actual, value);
            case NOT_EQUALS -> !same(actual, value);
            case IN -> anySame(actual);
            case NOT_IN -> !anySame(actual);
            case STARTS_WITH -> actual.isTextual() && actual.asText().startsWith(value.asText());
            case ENDS_WITH -> actual.isTextual() && actual.asText().endsWith(value.asText());
            case CONTAINS -> contains(actual);
            case GREATER_THAN -> actual.isNumber() && compare(actual) > 0;
            case GREATER_OR_EQUAL -> actual.isNumber() && compare(actual) >= 0;
            case LESS_THAN -> actual.isNumber() && compare(actual) < 0;
            case LESS_OR_EQUAL -> actual.isNumber() && compare(actual) <= 0;
        };
    }

    /** Numbers compare by value (1 equals 1.0); everything else by JSON equality. */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private boolean anySame(JsonNode actual) {
        for (JsonNode candidate : value) {
            if (same(actual, candidate)) {
                return true;
            }
        }
        return false;
    }

    /** A string attribute contains a substring; a list attribute contains an element. */
    private boolean contains(JsonNode actual) {
        if (actual.isTextual()) {
            return value.isTextual() && actual.asText().contains(value.asText());
        }
        if (actual.isArray()) {
            for (JsonNode element : actual) {
                if (same(element, value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private int compare(JsonNode actual) {
        return actual.decimalValue().compareTo(value.decimalValue());
    }
}
