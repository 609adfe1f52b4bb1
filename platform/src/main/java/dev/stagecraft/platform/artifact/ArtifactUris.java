package dev.stagecraft.platform.artifact;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.stagecraft.platform.net.OutboundAddressPolicy;

/**
 * The forms an artifact URI may take: {@code stagecraft-artifact:sha256:<hex>} (the platform's store),
 * {@code file:///absolute/path} and {@code http(s)://host/path}. Syntax only: whether a URI is allowed is
 * {@link ArtifactSources}' business, and is answered without saying why.
 */
public final class ArtifactUris {
    public static final String STORE_PREFIX = "stagecraft-artifact:sha256:";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ArtifactUris() {
    }

    public static String storeUri(String sha256) {
        return STORE_PREFIX + sha256.toLowerCase(Locale.ROOT);
    }

    /** The sha256 a store URI names, if {@code uri} is one (well-formed or not: see {@link #syntaxProblem}). */
    public static Optional<String> storeSha(String uri) {
        return uri != null && uri.regionMatches(true, 0, STORE_PREFIX, 0, STORE_PREFIX.length())
                ? Optional.of(uri.substring(STORE_PREFIX.length()).toLowerCase(Locale.ROOT))
                : Optional.empty();
    }

    /**
     * Why {@code uri} is not a well-formed artifact URI, or empty if it is one. Shown in a 400: it says nothing
     * about files or hosts, only about the text.
     */
    public static Optional<String> syntaxProblem(String uri) {
        Optional<String> storeSha = storeSha(uri);
        if (storeSha.isPresent()) {
            return SHA256.matcher(storeSha.get()).matches() ? Optional.empty()
                    : Optional.of("a store URI is " + STORE_PREFIX + "<64 hexadecimal characters>");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URI: " + e.getReason());
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file":
                if (parsed.isOpaque() || parsed.getRawAuthority() != null || parsed.getRawPath() == null
                        || !parsed.getRawPath().startsWith("/")) {
                    return Optional.of("a file: URI is file:///absolute/path (no host, no relative path)");
                }
                if (parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
                    return Optional.of("a file: URI has no ?query or #fragment");
                }
                return Optional.empty();
            case "http", "https":
                if (parsed.isOpaque() || parsed.getHost() == null) {
                    return Optional.of("an http(s) URI names a host: http(s)://host/path");
                }
                if (parsed.getRawUserInfo() != null) {
                    return Optional.of("must not carry credentials (user:password@)");
                }
                if (parsed.getRawFragment() != null) {
                    return Optional.of("must not have a #fragment");
                }
                if (OutboundAddressPolicy.isAmbiguousNumericHost(parsed.getHost())) {
                    return Optional.of("the host must be a name or a dotted-quad address (not " + parsed.getHost()
                            + ")");
                }
                return Optional.empty();
            default:
                return Optional.of("must be a " + STORE_PREFIX + "<hex>, file:, http: or https: URI");
        }
    }
}
