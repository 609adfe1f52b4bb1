package dev.stagecraft.cli;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * {@code --smoke-check} of {@code release create} and {@code deploy}: a path ({@code /api/cart}: GET, expects 200), a
 * method and a path ({@code "HEAD /"}, {@code "POST /api/quote"}), or a whole check as a JSON object
 * ({@code '{"path":"/api/cart","headers":{"Accept":"application/json"},"expectJson":{"/items":"[]"}}'}). The server
 * validates what it gets and names every mistake; this only turns the shorthands into JSON.
 */
final class SmokeCheckOption {
    static final String HELP = "a check of key functionality run on every new instance before it takes traffic: a path"
            + " (GET, expects 200), a method and a path (\"HEAD /\", \"POST /api/quote\"), or a JSON check such as"
            + " '{\"method\":\"POST\",\"path\":\"/api/quote\",\"headers\":{\"Accept\":\"application/json\"},"
            + "\"body\":{\"sku\":\"a-1\"},\"expectJson\":{\"/total\":\"42\"}}' (repeatable)";
    private static final Pattern METHOD_AND_PATH = Pattern.compile("([A-Za-z]+)\\s+(\\S+)");

    static JsonNode parse(String given) {
        String text = given.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode check = ApiClient.JSON.readTree(text);
                if (check != null && check.isObject()) {
                    return check;
                }
            } catch (IOException e) {
                // answered below
            }
        } else {
            Matcher methodAndPath = METHOD_AND_PATH.matcher(text);
            if (methodAndPath.matches()) {
                return ApiClient.JSON.createObjectNode().put("method", methodAndPath.group(1))
                        .put("path", methodAndPath.group(2));
            }
            if (!text.isEmpty() && !text.contains(" ")) {
                return ApiClient.JSON.createObjectNode().put("path", text);
            }
        }
        throw new IllegalArgumentException("--smoke-check must be a path such as /api/cart, a method and a path such"
                + " as \"HEAD /\", or a JSON object; got: " + given);
    }

    static ArrayNode parseAll(List<String> given) {
        ArrayNode checks = ApiClient.JSON.createArrayNode();
        given.forEach(one -> checks.add(parse(one)));
        return checks;
    }

    private SmokeCheckOption() {
    }
}
