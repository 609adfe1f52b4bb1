package dev.stagecraft.platform.artifact;

/**
 * An artifact that will not be used: outside the allowed sources, missing, unreachable, too large, too slow,
 * or not what its sha256 promises. {@link #getMessage()} is the same for every one of these, on purpose: an
 * answer that differed would tell a caller whether a file exists, what it hashes to, or what an internal URL
 * answers. {@link #reason()} says what really happened, for the server's log only.
 */
public class ArtifactException extends RuntimeException {
    /** The one answer callers see. */
    public static final String REFUSAL =
            "the artifact could not be fetched from an allowed source, or its sha256 does not match";

    private final String reason;

    public ArtifactException(String reason) {
        super(REFUSAL);
        this.reason = reason;
    }

    public ArtifactException(String reason, Throwable cause) {
        super(REFUSAL, cause);
        this.reason = reason;
    }

    /** What went wrong, for logs; never for an answer. */
    public String reason() {
        return reason;
    }
}
