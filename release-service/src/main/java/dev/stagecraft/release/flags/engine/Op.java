package dev.stagecraft.release.flags.engine;

import java.util.Arrays;
import java.util.Optional;

/** The comparisons a condition may make, by the names the API uses. */
public enum Op {
    EQUALS("equals"), NOT_EQUALS("not-equals"), IN("in"), NOT_IN("not-in"), STARTS_WITH("starts-with"),
    ENDS_WITH("ends-with"), CONTAINS("contains"), GREATER_THAN("greater-than"), GREATER_OR_EQUAL("greater-or-equal"),
    LESS_THAN("less-than"), LESS_OR_EQUAL("less-or-equal");

    private final String wire;

    Op(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<Op> parse(String name) {
        return Arrays.stream(values()).filter(op -> op.wire.equals(name)).findFirst();
    }

    public boolean wantsList() {
        return this == IN || this == NOT_IN;
    }

    public boolean wantsNumber() {
        return this == GREATER_THAN || this == GREATER_OR_EQUAL || this == LESS_THAN || this == LESS_OR_EQUAL;
    }

    public boolean wantsString() {
        return this == STARTS_WITH || this == ENDS_WITH;
    }
}
