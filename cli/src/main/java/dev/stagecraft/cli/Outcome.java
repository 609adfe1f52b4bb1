package dev.stagecraft.cli;

import java.util.Set;

/** The exit codes a script can rely on. */
public final class Outcome {
    public static final int SUCCEEDED = 0;
    public static final int ROLLED_BACK_OR_ABORTED = 1;
    public static final int FAILED = 2;
    public static final int REJECTED = 3;
    /** Any other refusal by the API (bad input, unknown id, missing rights). */
    public static final int API_ERROR = 4;
    /** The platform could not be reached. */
    public static final int UNREACHABLE = 5;
    public static final int USAGE = 64;

    private static final Set<String> FINAL = Set.of("SUCCEEDED", "ROLLED_BACK", "ABORTED", "FAILED", "REJECTED");

    private Outcome() {
    }

    public static boolean isFinal(String status) {
        return FINAL.contains(status);
    }

    public static int exitCodeOf(String status) {
        return switch (status) {
            case "SUCCEEDED" -> SUCCEEDED;
            case "ROLLED_BACK", "ABORTED" -> ROLLED_BACK_OR_ABORTED;
            case "FAILED" -> FAILED;
            case "REJECTED" -> REJECTED;
            default -> throw new IllegalArgumentException("not a final status: " + status);
        };
    }
}
