package dev.stagecraft.contracts;

/**
 * Where a release's runnable artifact lives ({@code stagecraft-artifact:sha256:<hex>} in the platform's store, or a
 * {@code file:} or {@code http(s):} URI under an allowed source) and its expected sha256.
 */
public record ArtifactRef(String uri, String sha256) {
}
