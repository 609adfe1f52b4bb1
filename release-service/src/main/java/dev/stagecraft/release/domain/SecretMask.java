package dev.stagecraft.release.domain;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/** Keeps secret values out of what people and logs see. */
public final class SecretMask {
    public static final String MASK = "***";
    /** Shorter values are not scrubbed from text: masking "1" or "on" would garble every message. */
    static final int MIN_SCRUBBED_LENGTH = 4;

    /** The same keys, every value "***". */
    public static Map<String, String> mask(Map<String, String> secrets) {
        Map<String, String> masked = new TreeMap<>();
        if (secrets != null) {
            secrets.keySet().forEach(key -> masked.put(key, MASK));
        }
        return masked;
    }

    /**
     * {@code text} with every occurrence of a secret value replaced by "***". For messages that come from
     * elsewhere (the saga's lifecycle events), which might quote an instance's environment.
     */
    public static String scrub(String text, Collection<String> secretValues) {
        if (text == null || secretValues == null) {
            return text;
        }
        String scrubbed = text;
        // Longest first, so that a secret containing another is masked whole.
        for (String value : secretValues.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            if (value != null && value.length() >= MIN_SCRUBBED_LENGTH) {
                scrubbed = scrubbed.replace(value, MASK);
            }
        }
        return scrubbed;
    }

    private SecretMask() {
    }
}
