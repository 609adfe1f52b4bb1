package dev.stagecraft.contracts.cdevents;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A release's artifact as CDEvents names artifacts, a package URL: {@code pkg:generic/<service>@<version>?checksum=
 * sha256:<hex>}. The sha256 identifies the bytes wherever they are stored; the artifact's URI is left out, since a
 * URL may carry credentials.
 */
public final class ArtifactPurl {

    private ArtifactPurl() {
    }

    public static String of(String service, String version, String sha256) {
        return "pkg:generic/" + encode(service) + "@" + encode(version) + "?checksum=sha256:"
                + sha256.toLowerCase(Locale.ROOT);
    }

    /** purl's percent-encoding: every byte outside {@code A-Z a-z 0-9 . - _ ~} ({@code +} of SemVer build metadata). */
    static String encode(String part) {
        StringBuilder out = new StringBuilder();
        for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
