package dev.stagecraft.platform.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.stagecraft.contracts.ReleaseSpec;

/**
 * Masks secrets in stored documents before people see them: every {@code secrets} object, at any depth
 * (a release spec's, in a saga's target, its previous releases and its pending step), keeps its names and
 * shows each value as {@value ReleaseSpec#MASK}. Sealed values are secrets too: a viewer must not be able to
 * copy one and hand it to the platform elsewhere.
 */
public final class SecretMasking {
    public static final String FIELD = "secrets";

    /** {@code document} itself, changed in place, for chaining. */
    public static JsonNode masked(JsonNode document) {
        if (document == null) {
            return null;
        }
        if (document.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            document.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> field : fields) {
                if (FIELD.equals(field.getKey()) && field.getValue().isObject()) {
                    ObjectNode secrets = (ObjectNode) field.getValue();
                    List<String> names = new ArrayList<>();
                    secrets.fieldNames().forEachRemaining(names::add);
                    names.forEach(name -> secrets.set(name, TextNode.valueOf(ReleaseSpec.MASK)));
                } else {
                    masked(field.getValue());
                }
            }
        } else if (document.isArray()) {
            document.forEach(SecretMasking::masked);
        }
        return document;
    }

    private SecretMasking() {
    }
}
