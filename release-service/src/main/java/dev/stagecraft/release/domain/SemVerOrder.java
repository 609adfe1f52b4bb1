package dev.stagecraft.release.domain;

import java.util.Comparator;

import dev.stagecraft.contracts.SemanticVersion;

/**
 * Semantic Versioning 2.0.0 precedence (semver.org, rule 11): MAJOR.MINOR.PATCH numerically, a
 * pre-release sorts before its release, pre-release identifiers compare one by one (numbers
 * numerically and below words, words in ASCII order, a shorter list first), build metadata is ignored.
 * Numbers are compared as digit strings, because SemVer puts no bound on them.
 */
public final class SemVerOrder implements Comparator<String> {
    public static final SemVerOrder INSTANCE = new SemVerOrder();

    private SemVerOrder() {
    }

    /** @throws IllegalArgumentException if either side is not a semantic version */
    @Override
    public int compare(String left, String right) {
        Parsed a = parse(left);
        Parsed b = parse(right);
        for (int i = 0; i < 3; i++) {
            int byCore = compareNumbers(a.core[i], b.core[i]);
            if (byCore != 0) {
                return byCore;
            }
        }
        if (a.preRelease == null || b.preRelease == null) {
            return a.preRelease == null ? (b.preRelease == null ? 0 : 1) : -1;
        }
        return comparePreRelease(a.preRelease.split("\\."), b.preRelease.split("\\."));
    }

    public static boolean isAtMost(String version, String limit) {
        return INSTANCE.compare(version, limit) <= 0;
    }

    private static int comparePreRelease(String[] a, String[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            boolean aNumeric = isNumber(a[i]);
            boolean bNumeric = isNumber(b[i]);
            int byIdentifier;
            if (aNumeric && bNumeric) {
                byIdentifier = compareNumbers(a[i], b[i]);
            } else if (aNumeric != bNumeric) {
                byIdentifier = aNumeric ? -1 : 1;
            } else {
                byIdentifier = Integer.signum(a[i].compareTo(b[i]));
            }
            if (byIdentifier != 0) {
                return byIdentifier;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** Digit strings without leading zeros (SemVer forbids them): the longer is larger, else compare digits. */
    private static int compareNumbers(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : Integer.signum(a.compareTo(b));
    }

    private static boolean isNumber(String identifier) {
        return identifier.chars().allMatch(Character::isDigit);
    }

    private static Parsed parse(String version) {
        if (!SemanticVersion.isValid(version)) {
            throw new IllegalArgumentException("'" + version + "' is not a semantic version");
        }
        int plus = version.indexOf('+');
        String withoutBuild = plus < 0 ? version : version.substring(0, plus);
        int dash = withoutBuild.indexOf('-');
        String core = dash < 0 ? withoutBuild : withoutBuild.substring(0, dash);
        return new Parsed(core.split("\\."), dash < 0 ? null : withoutBuild.substring(dash + 1));
    }

    private record Parsed(String[] core, String preRelease) {
    }
}
