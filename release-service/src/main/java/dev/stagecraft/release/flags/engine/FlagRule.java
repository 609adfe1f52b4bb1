package dev.stagecraft.release.flags.engine;

import java.util.List;

/**
 * "When every condition holds, serve this variant" or "… split these keys between variants". An empty
 * {@code when} always holds. Exactly one of {@code variant} and {@code split} is set.
 */
public record FlagRule(List<Condition> when, String variant, List<Share> split) {
    public FlagRule {
        when = when == null ? List.of() : List.copyOf(when);
        split = split == null ? List.of() : List.copyOf(split);
    }

    public boolean isSplit() {
        return variant == null;
    }
}
