package dev.stagecraft.platform.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a request before answering, instead of stopping at the first. */
public final class Violations {
    private final List<Problem.Violation> found = new ArrayList<>();

    public Violations add(String field, String message) {
        found.add(new Problem.Violation(field, message));
        return this;
    }

    public Violations require(boolean condition, String field, String message) {
        if (!condition) {
            add(field, message);
        }
        return this;
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<Problem.Violation> list() {
        return List.copyOf(found);
    }

    /** Throws a 400 naming every violation, if there is any. */
    public void throwIfAny(String detail) {
        if (!found.isEmpty()) {
            throw ApiProblem.badRequest(detail, found);
        }
    }
}
