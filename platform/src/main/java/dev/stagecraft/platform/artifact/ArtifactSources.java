package dev.stagecraft.platform.artifact;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.stagecraft.platform.net.Destinations;

/**
 * Where artifacts may come from besides the platform's own store ({@code STAGECRAFT_ARTIFACT_SOURCES}): a
 * comma-separated list of directories ({@code /srv/builds/} or {@code file:///srv/builds/}) and URL prefixes
 * ({@code https://artifacts.example.com/releases/}). Nothing is allowed unless listed.
 *
 * <p>Files are matched on their real path (links followed, {@code ..} resolved) against each directory's real
 * path, so {@code file:///srv/builds/../../etc/shadow} and a link inside a source pointing out of it are both
 * outside. URLs are matched by scheme, host and port exactly and by path on whole segments, after
 * normalisation; escaped dots and slashes ({@code %2e}, {@code %2f}) are refused outright, since a server may
 * decode them after we compared.
 */
public final class ArtifactSources {
    private final List<Path> directories;
    private final List<UrlPrefix> prefixes;

    private ArtifactSources(List<Path> directories, List<UrlPrefix> prefixes) {
        this.directories = List.copyOf(directories);
        this.prefixes = List.copyOf(prefixes);
    }

    /** Reads the list; an entry that is neither an absolute directory nor an http(s) URL is a configuration error. */
    public static ArtifactSources parse(String list) {
        List<Path> directories = new ArrayList<>();
        List<UrlPrefix> prefixes = new ArrayList<>();
        for (String raw : list == null ? new String[0] : list.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            String lower = entry.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                prefixes.add(UrlPrefix.of(entry));
            } else {
                Path dir = lower.startsWith("file:") ? Path.of(URI.create(entry)) : Path.of(entry);
                if (!dir.isAbsolute()) {
                    throw new IllegalArgumentException("artifact source '" + entry + "' must be an absolute directory,"
                            + " a file:/// URL or an http(s):// URL prefix");
                }
                directories.add(dir.normalize());
            }
        }
        return new ArtifactSources(directories, prefixes);
    }

    public static ArtifactSources none() {
        return new ArtifactSources(List.of(), List.of());
    }

    /** The file's real path if it is a regular file inside a listed directory; empty otherwise (missing too). */
    public Optional<Path> allowedFile(URI fileUri) {
        Path real;
        try {
            real = Path.of(fileUri).toRealPath();
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(real)) {
            return Optional.empty();
        }
        for (Path dir : directories) {
            try {
                if (real.startsWith(dir.toRealPath())) {
                    return Optional.of(real);
                }
            } catch (IOException e) {
                // a listed directory that does not exist holds nothing
            }
        }
        return Optional.empty();
    }

    /** The listed prefix {@code url} falls under, if any. */
    public Optional<UrlPrefix> allowedUrl(URI url) {
        String rawPath = url.getRawPath() == null ? "" : url.getRawPath();
        String lowerPath = rawPath.toLowerCase(Locale.ROOT);
        if (url.getRawUserInfo() != null || url.getHost() == null || lowerPath.contains("%2e")
                || lowerPath.contains("%2f") || lowerPath.contains("%5c") || rawPath.contains("\\")) {
            return Optional.empty();
        }
        URI normal = url.normalize();
        String path = normal.getRawPath() == null || normal.getRawPath().isEmpty() ? "/" : normal.getRawPath();
        if (path.startsWith("/..")) {
            return Optional.empty();
        }
        return prefixes.stream().filter(p -> p.covers(normal, path)).findFirst();
    }

    public List<Path> directories() {
        return directories;
    }

    /** One listed URL prefix. */
    public record UrlPrefix(String scheme, String host, int port, String path) {
        static UrlPrefix of(String entry) {
            URI uri = URI.create(entry).normalize();
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("artifact source '" + entry + "' must be http(s)://host[:port]/path/");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            // whole segments only: https://a.example.com/rel must not cover /release-candidates
            return new UrlPrefix(scheme, uri.getHost().toLowerCase(Locale.ROOT), portOf(uri),
                    path.endsWith("/") ? path : path + "/");
        }

        boolean covers(URI url, String normalPath) {
            return scheme.equalsIgnoreCase(url.getScheme()) && host.equalsIgnoreCase(url.getHost())
                    && port == portOf(url) && normalPath.startsWith(path);
        }

        /**
         * A prefix naming its host by address ({@code http://10.1.2.3:8081/}) is an operator's explicit choice of
         * that address, internal or not; a prefix naming a host by name may only lead to public addresses, so that
         * whoever controls the name's DNS cannot point it inside.
         */
        public Destinations destinations() {
            Optional<InetAddress> literal = literalAddress(host);
            if (literal.isEmpty()) {
                return Destinations.PUBLIC_ONLY;
            }
            return (h, address) -> address.equals(literal.get()) ? Optional.empty()
                    : Optional.of("not the address the source names");
        }

        private static Optional<InetAddress> literalAddress(String host) {
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            if (!bare.contains(":") && !bare.matches("[0-9.]+")) {
                return Optional.empty();
            }
            try {
                return Optional.of(InetAddress.getByName(bare)); // a literal: no lookup happens
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }

        private static int portOf(URI uri) {
            return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
    }
}
