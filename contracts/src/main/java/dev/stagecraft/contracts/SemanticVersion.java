package dev.stagecraft.contracts;

import java.util.regex.Pattern;

/** Semantic Versioning 2.0.0 (https://semver.org), the form every release version must take. */
public final class SemanticVersion {
    private static final Pattern SEMVER = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    public static boolean isValid(String version) {
        return version != null && version.length() <= 100 && SEMVER.matcher(version).matches();
    }

    private SemanticVersion() {
    }
}
