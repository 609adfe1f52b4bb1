package dev.stagecraft.platform.api;

import java.util.List;

/** Thrown by services for a request that cannot be honoured; mapped to a problem+json answer. */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final List<Problem.Violation> violations;

    public ApiProblem(int status, String title, String detail, List<Problem.Violation> violations) {
        super(detail);
        this.status = status;
        this.title = title;
        this.violations = List.copyOf(violations);
    }

    public static ApiProblem badRequest(String detail, List<Problem.Violation> violations) {
        return new ApiProblem(400, "Bad Request", detail, violations);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail, List.of());
    }

    public static ApiProblem conflict(String detail, List<Problem.Violation> violations) {
        return new ApiProblem(409, "Conflict", detail, violations);
    }

    public static ApiProblem unprocessable(String detail, List<Problem.Violation> violations) {
        return new ApiProblem(422, "Unprocessable Content", detail, violations);
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), violations);
    }

    public int status() {
        return status;
    }
}
