package dev.stagecraft.platform.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The platform's artifact store: content-addressed and immutable. Each artifact is the file
 * {@code <dir>/sha256/<hex>}, named by its own sha256, so the same bytes stored twice are one artifact and a
 * name can never come to mean other bytes. Bytes are written to a temporary file in the same directory tree,
 * hashed on the way, and moved into place atomically: a reader sees a whole artifact or none. Files are made
 * read-only. Blocking: call it from a worker thread.
 */
public final class ArtifactStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 64 * 1024;

    private final Path root;

    public ArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** An artifact in the store. */
    public record Stored(String sha256, long size, Path path) {
        public String uri() {
            return ArtifactUris.storeUri(sha256);
        }
    }

    /** The content is more than the store accepts; nothing was kept. */
    public static class TooLargeException extends IOException {
        public TooLargeException(long max) {
            super("the artifact is larger than " + max + " bytes");
        }
    }

    /** Stores {@code content} (at most {@code maxBytes}); the same content stored again answers the same artifact. */
    public Stored put(InputStream content, long maxBytes) throws IOException {
        Path incoming = Files.createDirectories(root.resolve("incoming"));
        Path partial = Files.createTempFile(incoming, "upload-", ".part");
        try {
            long size;
            MessageDigest digest = sha256Digest();
            try (OutputStream out = Files.newOutputStream(partial)) {
                size = copy(content, out, digest, maxBytes);
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Path target = Files.createDirectories(root.resolve("sha256")).resolve(sha);
            if (!Files.isRegularFile(target)) {
                partial.toFile().setReadOnly();
                move(partial, target);
            }
            return new Stored(sha, size, target);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Stores {@code content} only if it hashes to {@code expectedSha256}; empty (nothing kept) if it does not. */
    public Optional<Path> putIfMatches(InputStream content, long maxBytes, String expectedSha256) throws IOException {
        Path incoming = Files.createDirectories(root.resolve("incoming"));
        Path partial = Files.createTempFile(incoming, "fetch-", ".part");
        try {
            MessageDigest digest = sha256Digest();
            try (OutputStream out = Files.newOutputStream(partial)) {
                copy(content, out, digest, maxBytes);
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            if (!sha.equalsIgnoreCase(expectedSha256)) {
                return Optional.empty();
            }
            Path target = Files.createDirectories(root.resolve("sha256")).resolve(sha);
            if (!Files.isRegularFile(target)) {
                partial.toFile().setReadOnly();
                move(partial, target);
            }
            return Optional.of(target);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The stored file named by {@code sha256}, if the store holds it. */
    public Optional<Stored> find(String sha256) {
        String sha = sha256 == null ? "" : sha256.toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha).matches()) {
            return Optional.empty();
        }
        Path path = root.resolve("sha256").resolve(sha);
        try {
            return Files.isRegularFile(path) ? Optional.of(new Stored(sha, Files.size(path), path)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public Path root() {
        return root;
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256Digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new ArtifactException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long copy(InputStream in, OutputStream out, MessageDigest digest, long maxBytes) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            size += n;
            if (size > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
        }
        return size;
    }

    private static void move(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
