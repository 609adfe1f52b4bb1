package dev.stagecraft.health.provider;

import java.util.List;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.AnalysisRequest.Target;

/** Fills the configured PromQL templates in: {@code {instances}} and {@code {window}}. */
public final class PromQl {
    private static final String REGEX_SPECIALS = "\\.+*?()|[]{}^$";

    public static String render(String template, List<Target> pool, long windowSeconds) {
        return template.replace("{instances}", instancesRegex(pool)).replace("{window}", Long.toString(windowSeconds));
    }

    /**
     * A regular expression that matches exactly the pool's addresses, written for a PromQL double-quoted
     * string: a regex escape is a backslash, and the string needs that backslash doubled.
     */
    static String instancesRegex(List<Target> pool) {
        return pool.stream().map(t -> escape(t.address())).collect(Collectors.joining("|"));
    }

    private static String escape(String address) {
        StringBuilder out = new StringBuilder();
        for (char c : address.toCharArray()) {
            if (REGEX_SPECIALS.indexOf(c) >= 0) {
                out.append("\\\\");
            }
            if (c == '"') {
                out.append("\\");
            }
            out.append(c);
        }
        return out.toString();
    }

    private PromQl() {
    }
}
