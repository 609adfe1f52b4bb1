package dev.stagecraft.contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a release's smoke checks, every problem with its field path ({@code smokeChecks[1].path}). Pure, so that
 * release-service answers 400 with all of them and health-monitor can rely on what passed. Whether each
 * {@code expectJson} value is valid JSON text is left to the caller that can parse JSON (release-service).
 */
public final class SmokeCheckRules {
    static final int MAX_CHECKS = 20;
    static final int MAX_PATH = 500;
    static final int MAX_TEXT = 200;
    static final int MAX_POINTERS = 20;
    static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    /** An origin-form request target: a path and an optional query, printable ASCII without spaces or fragments. */
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7E&&[^#\\\\]]*");

    public static List<StrategyRules.Problem> check(List<SmokeCheck> checks, String field) {
        List<StrategyRules.Problem> p = new ArrayList<>();
        if (checks == null) {
            return p;
        }
        if (checks.size() > MAX_CHECKS) {
            p.add(new StrategyRules.Problem(field, "at most " + MAX_CHECKS + " smoke checks, got " + checks.size()));
        }
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < checks.size(); i++) {
            String at = field + "[" + i + "]";
            SmokeCheck c = checks.get(i);
            if (c == null) {
                p.add(new StrategyRules.Problem(at, "must be an object with at least a path"));
                continue;
            }
            if (c.path() == null || c.path().isBlank()) {
                p.add(new StrategyRules.Problem(at + ".path", "is required: the path to GET, e.g. /api/cart"));
            } else if (c.path().length() > MAX_PATH || !PATH.matcher(c.path()).matches() || c.path().startsWith("//")) {
                p.add(new StrategyRules.Problem(at + ".path", "must be a path on the instance starting with / (at most "
                        + MAX_PATH + " printable characters, no spaces, no #), got '" + shorten(c.path()) + "'"));
            }
            if (c.expectStatus() != null && (c.expectStatus() < 100 || c.expectStatus() > 599)) {
                p.add(new StrategyRules.Problem(at + ".expectStatus", "must be an HTTP status from 100 to 599, got "
                        + c.expectStatus()));
            }
            if (c.expectBodyContains() != null && (c.expectBodyContains().isEmpty()
                    || c.expectBodyContains().length() > MAX_TEXT)) {
                p.add(new StrategyRules.Problem(at + ".expectBodyContains", "must be 1 to " + MAX_TEXT
                        + " characters"));
            }
            if (c.name() != null && (c.name().isBlank() || c.name().length() > MAX_TEXT)) {
                p.add(new StrategyRules.Problem(at + ".name", "must be 1 to " + MAX_TEXT + " characters"));
            }
            if (c.expectJson().size() > MAX_POINTERS) {
                p.add(new StrategyRules.Problem(at + ".expectJson", "at most " + MAX_POINTERS + " pointers"));
            }
            c.expectJson().forEach((pointer, expected) -> {
                if (!pointer.isEmpty() && !pointer.startsWith("/")) {
                    p.add(new StrategyRules.Problem(at + ".expectJson." + pointer, "must be a JSON pointer: empty or"
                            + " starting with /, e.g. /items"));
                }
                if (expected == null || expected.length() > MAX_TEXT) {
                    p.add(new StrategyRules.Problem(at + ".expectJson." + pointer, "must be the expected JSON value as"
                            + " text, at most " + MAX_TEXT + " characters, e.g. \"[]\""));
                }
            });
            if (c.timeout() != null) {
                var timeout = Durations.parse(c.timeout());
                if (timeout.isEmpty() || timeout.get().compareTo(MIN_TIMEOUT) < 0
                        || timeout.get().compareTo(MAX_TIMEOUT) > 0) {
                    p.add(new StrategyRules.Problem(at + ".timeout", "must be a duration from 100ms to 60s, e.g. 5s"));
                }
            }
            if (c.path() != null && !labels.add(c.label())) {
                p.add(new StrategyRules.Problem(at + ".name", "two checks are called '" + shorten(c.label())
                        + "': give one a name, so that a verdict names one check"));
            }
        }
        return p;
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    private SmokeCheckRules() {
    }
}
