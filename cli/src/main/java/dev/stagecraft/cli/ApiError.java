package dev.stagecraft.cli;

import java.util.List;

/** An answer that is not a 2xx, in plain words: the problem's detail and every entry of its {@code errors}. */
public class ApiError extends RuntimeException {
    private final int status;
    private final List<String> problems;

    public ApiError(int status, String detail, List<String> problems) {
        super(detail);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public List<String> problems() {
        return problems;
    }

    /** A 409 naming a gate ({@code gate.window}, …) is a refusal by a gate. */
    public boolean isGateRefusal() {
        return status == 409 && problems.stream().anyMatch(p -> p.startsWith("gate."));
    }

    public String describe() {
        StringBuilder text = new StringBuilder("error: ").append(getMessage()).append(" (HTTP ").append(status).append(')');
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return text.toString();
    }
}
