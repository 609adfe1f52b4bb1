package dev.stagecraft.platform.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.secrets.SecretBox;

/**
 * Masks secrets in stored documents before people see them: every {@code secrets} object, at any depth
 * (a release spec's, in a saga's target, its previous releases and its pending step), keeps its names and
 * shows each value as {@value ReleaseSpec#MASK}. Sealed values are secrets too: a viewer must not be able to
 * copy one and hand it to the platform elsewhere.
 */
public final class SecretMasking {
    public static final String FIELD = "secrets";
    /** Smoke checks' request headers may carry a token: shown masked like secrets (inside {@code smokeChecks}). */
    public static final String SMOKE_CHECKS = "smokeChecks";
    public static final String HEADERS = "headers";
    /** Shorter values are not scrubbed from text: masking "1" or "on" would garble every message. */
    public static final int MIN_SCRUBBED_LENGTH = 4;
    /** A sealed value anywhere in a text: the prefix, a version, and what base64 and key ids are made of. */
    private static final Pattern SEALED_TOKEN = Pattern.compile(Pattern.quote(SecretBox.SEALED) + "v\\d+:[A-Za-z0-9_.:+/=-]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code text} with every occurrence of a plain secret value replaced by {@value ReleaseSpec#MASK}. For messages
     * that come from elsewhere (an instance's output, a lifecycle event), which might quote an instance's environment;
     * only a service that holds the plain values can scrub them.
     */
    public static String scrubbed(String text, Collection<String> plainValues) {
        if (text == null || plainValues == null) {
            return text;
        }
        String scrubbed = text;
        // Longest first, so that a secret containing another is masked whole.
        for (String value : plainValues.stream().filter(v -> v != null)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            if (value.length() >= MIN_SCRUBBED_LENGTH) {
                scrubbed = scrubbed.replace(value, ReleaseSpec.MASK);
            }
        }
        return scrubbed;
    }

    /**
     * A Kafka record's value as people may see it (dead letters): every {@code secrets} object masked if it is JSON,
     * and any sealed value left anywhere (or in a value that is not JSON) replaced by {@value ReleaseSpec#MASK}.
     */
    public static String maskedRecordValue(String value) {
        if (value == null) {
            return null;
        }
        String masked = value;
        try {
            JsonNode document = JSON.readTree(value);
            if (document != null && (document.isObject() || document.isArray())) {
                masked = JSON.writeValueAsString(masked(document));
            }
        } catch (JsonProcessingException e) {
            // not JSON (a poison record): only the sealed-token pass below applies
        }
        return SEALED_TOKEN.matcher(masked).replaceAll(ReleaseSpec.MASK);
    }

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
                    maskValues((ObjectNode) field.getValue());
                } else if (SMOKE_CHECKS.equals(field.getKey()) && field.getValue().isArray()) {
                    field.getValue().forEach(check -> {
                        if (check.path(HEADERS).isObject()) {
                            maskValues((ObjectNode) check.get(HEADERS));
                        }
                    });
                } else {
                    masked(field.getValue());
                }
            }
        } else if (document.isArray()) {
            document.forEach(SecretMasking::masked);
        }
        return document;
    }

    private static void maskValues(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        names.forEach(name -> object.set(name, TextNode.valueOf(ReleaseSpec.MASK)));
    }

    private SecretMasking() {
    }
}
