package dev.stagecraft.contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.stagecraft.contracts.secrets.SecretBox;

/**
 * Checks a release's or a deployment's smoke checks, every problem with its field path
 * ({@code smokeChecks[1].path}), and combines the two lists. Pure, so that release-service answers 400 with all of
 * them and health-monitor can rely on what passed. Whether each {@code expectJson} value is valid JSON text, and how
 * long a {@code body} is once written, are left to the caller that can write JSON (release-service).
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
    static final int MAX_HEADERS = 10;
    static final int MAX_HEADER_NAME = 100;
    static final int MAX_HEADER_VALUE = 1000;
    /** RFC 9110's token: the characters a header name is made of. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Visible ASCII, spaces and tabs: no CR or LF that could end the header, no other control character. */
    private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7E\\t]*");
    /**
     * Set by health-monitor's HTTP client for the connection or the body it sends (the JDK refuses most of them), or
     * meant for proxies: a check that set them would test the client, not the instance.
     */
    static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
            "upgrade", "expect", "te", "trailer", "keep-alive", "proxy-connection", "proxy-authorization");

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
                p.add(new StrategyRules.Problem(at + ".path", "is required: the path to request, e.g. /api/cart"));
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
            if (c.method() != null && !SmokeCheck.METHODS.contains(c.method())) {
                p.add(new StrategyRules.Problem(at + ".method", "must be GET, HEAD or POST (methods are"
                        + " case-sensitive), got '" + shorten(c.method()) + "'"));
            }
            if (SmokeCheck.HEAD.equals(c.method()) && (c.expectBodyContains() != null || !c.expectJson().isEmpty())) {
                p.add(new StrategyRules.Problem(at + ".method", "a HEAD answer has no body: use GET to check"
                        + " expectBodyContains or expectJson"));
            }
            body(p, at, c);
            headers(p, at, c.headers());
            if (c.path() != null && !labels.add(c.label())) {
                p.add(new StrategyRules.Problem(at + ".name", "two checks are called '" + shorten(c.label())
                        + "': give one a name, so that a verdict names one check"));
            }
        }
        return p;
    }

    private static void body(List<StrategyRules.Problem> p, String at, SmokeCheck c) {
        if (c.body() == null) {
            return;
        }
        if (!SmokeCheck.POST.equals(c.method())) {
            p.add(new StrategyRules.Problem(at + ".body", "only a POST sends a body; set \"method\": \"POST\""));
        } else if (!(c.body() instanceof Map) && !(c.body() instanceof List)) {
            p.add(new StrategyRules.Problem(at + ".body", "must be a JSON object or array, sent as application/json"));
        }
    }

    private static void headers(List<StrategyRules.Problem> p, String at, Map<String, String> headers) {
        if (headers.size() > MAX_HEADERS) {
            p.add(new StrategyRules.Problem(at + ".headers", "at most " + MAX_HEADERS + " headers, got " + headers.size()));
        }
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((header, value) -> {
            String field = at + ".headers." + header;
            if (header.isEmpty() || header.length() > MAX_HEADER_NAME || !HEADER_NAME.matcher(header).matches()) {
                p.add(new StrategyRules.Problem(field, "is not a header name: 1 to " + MAX_HEADER_NAME
                        + " letters, digits and !#$%&'*+.^_`|~- (no spaces or colons)"));
            } else if (RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                p.add(new StrategyRules.Problem(field, "is set by the HTTP client or meant for proxies, not for a"
                        + " check to set"));
            } else if (!seen.add(header)) {
                p.add(new StrategyRules.Problem(field, "is given twice (header names are case-insensitive)"));
            }
            if (value == null || value.length() > MAX_HEADER_VALUE || !HEADER_VALUE.matcher(value).matches()) {
                p.add(new StrategyRules.Problem(field, "must be a text of at most " + MAX_HEADER_VALUE
                        + " printable ASCII characters, without line breaks"));
            } else if (SecretBox.looksSealed(value)) {
                // Nothing a user sends is ever opened, and a sealed value can only be someone else's secret.
                p.add(new StrategyRules.Problem(field, "must not be a sealed value: smoke-check headers are not"
                        + " secrets (views show them as ***, but health-monitor sends them as given)"));
            } else if (ReleaseSpec.MASK.equals(value)) {
                p.add(new StrategyRules.Problem(field, "must not be *** (what views show instead of a value):"
                        + " give the value itself"));
            }
        });
    }

    /**
     * The checks a deployment runs: the release's, then the deployment's own. A deployment's check named like one
     * of the release's (the same {@link SmokeCheck#label()}) replaces it in its place, so an environment can change
     * one check (another path, a header) without dropping the others.
     */
    public static List<SmokeCheck> combined(List<SmokeCheck> release, List<SmokeCheck> deployment) {
        List<SmokeCheck> all = new ArrayList<>(release == null ? List.of() : release);
        for (SmokeCheck own : deployment == null ? List.<SmokeCheck>of() : deployment) {
            int same = -1;
            for (int i = 0; i < all.size() && same < 0; i++) {
                same = all.get(i).label().equals(own.label()) ? i : -1;
            }
            if (same >= 0) {
                all.set(same, own);
            } else {
                all.add(own);
            }
        }
        return List.copyOf(all);
    }

    /** At most {@value #MAX_CHECKS} checks in all: the release's and the deployment's together. */
    public static List<StrategyRules.Problem> checkCombined(List<SmokeCheck> release, List<SmokeCheck> deployment,
            String field) {
        int count = combined(release, deployment).size();
        return count <= MAX_CHECKS ? List.of() : List.of(new StrategyRules.Problem(field, "with the release's "
                + (release == null ? 0 : release.size()) + " smoke checks these make " + count + ", more than " + MAX_CHECKS));
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    private SmokeCheckRules() {
    }
}
