package dev.stagecraft.platform.artifact;

/** An artifact that cannot be fetched, or whose content is not what its sha256 promises. */
public class ArtifactException extends RuntimeException {
    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
