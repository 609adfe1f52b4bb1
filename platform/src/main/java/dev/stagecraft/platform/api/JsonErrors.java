package dev.stagecraft.platform.api;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Jackson's failures told to the sender of a request: which field, and what it should have been. Jackson's own
 * words are written for programmers ("Cannot construct instance of `dev.stagecraft...WindowSpec` (although at
 * least one Creator exists)"); a user who sent a string where an object belongs should read "must be an object".
 */
public final class JsonErrors {
    private static final int MAX_VALUE = 60;
    private static final int MAX_MESSAGE = 300;
    private static final Pattern CLASS_NAME = Pattern.compile("`(?:[\\w$]+\\.)+([\\w$]+)`");
    /** Jackson's advice to programmers, which means nothing to the sender of a request. */
    private static final Pattern ASIDE = Pattern.compile("\\s*\\((?:but could if|token `|although )[^)]*\\)");

    /** The violation a body that could not be read answers with: its field, or {@code body} for the whole. */
    public static Problem.Violation violationOf(JsonProcessingException e) {
        String path = e instanceof JsonMappingException mapping ? pathOf(mapping.getPath()) : "";
        return new Problem.Violation(path.isEmpty() ? "body" : path, plainly(e));
    }

    /** Jackson's path as the answer names it, {@code windows[0].days}; empty for the whole document. */
    public static String pathOf(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    /** The path of a document read as the field {@code root} of a larger one: {@code strategy.steps[0].weight}. */
    public static String pathOf(List<JsonMappingException.Reference> path, String root) {
        String inner = pathOf(path);
        return inner.isEmpty() || inner.startsWith("[") ? root + inner : root + "." + inner;
    }

    /** What was wrong, in the words of the JSON the sender wrote rather than of the Java it was read into. */
    public static String plainly(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null) {
            return "'" + shortened(String.valueOf(format.getValue())) + "' is not " + kindOf(format.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "must be " + kindOf(mismatch.getTargetType());
        }
        String message = e.getOriginalMessage();
        if (message == null) {
            return "cannot be read";
        }
        String text = ASIDE.matcher(CLASS_NAME.matcher(message).replaceAll("`$1`")).replaceAll("");
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }

    /** The JSON a Java type is read from: "a number", "a list", "one of pause, fail", … */
    static String kindOf(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a " + type.getSimpleName() + " value";
    }

    private static String shortened(String value) {
        return value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "…" : value;
    }

    private JsonErrors() {
    }
}
