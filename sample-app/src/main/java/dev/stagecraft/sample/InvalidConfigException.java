package dev.stagecraft.sample;

import java.util.List;

/** Thrown when one or more environment variables hold values the app cannot use. */
public final class InvalidConfigException extends Exception {

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, so an operator can fix them all in one go rather than one per restart. */
    public List<String> problems() {
        return problems;
    }
}
