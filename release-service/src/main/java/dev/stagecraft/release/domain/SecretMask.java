package dev.stagecraft.release.domain;

import java.util.Map;
import java.util.TreeMap;

/** Keeps secret values out of what people see; text is scrubbed by {@code platform}'s {@code SecretMasking}. */
public final class SecretMask {
    public static final String MASK = "***";

    /** The same keys, every value "***". */
    public static Map<String, String> mask(Map<String, String> secrets) {
        Map<String, String> masked = new TreeMap<>();
        if (secrets != null) {
            secrets.keySet().forEach(key -> masked.put(key, MASK));
        }
        return masked;
    }

    private SecretMask() {
    }
}
