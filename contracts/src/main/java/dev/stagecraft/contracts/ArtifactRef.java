package dev.stagecraft.contracts;

/** Where a release's runnable artifact lives ({@code file:} or {@code http(s):} URI) and its expected sha256. */
public record ArtifactRef(String uri, String sha256) {
}
