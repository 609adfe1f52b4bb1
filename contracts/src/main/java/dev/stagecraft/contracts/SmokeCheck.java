package dev.stagecraft.contracts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP check of key functionality that a release (or a deployment) declares: health-monitor sends
 * {@code <method> <path>} (default {@code GET}; {@code HEAD}, or {@code POST} with an optional small JSON
 * {@code body}) with the given {@code headers} to every new instance once it is ready, before it takes traffic, and
 * the step fails unless the answer has {@code expectStatus} (default 200), contains {@code expectBodyContains} (if
 * set), and has, at each JSON pointer of {@code expectJson}, the JSON value written as its text
 * ({@code {"/items": "[]"}}). {@code name} defaults to {@code <method> <path>}; {@code timeout} to
 * {@value #DEFAULT_TIMEOUT}. {@code body} is the JSON itself (an object or an array, as a JSON parser reads it).
 * Header values are not secrets: views show them as {@value ReleaseSpec#MASK} all the same
 * ({@link #withHeadersMasked()}), since a user may put a token there. {@link SmokeCheckRules} validates a list.
 */
public record SmokeCheck(String name, String path, Integer expectStatus, String expectBodyContains,
        Map<String, String> expectJson, String timeout, String method, Map<String, String> headers, Object body) {
    public static final int DEFAULT_STATUS = 200;
    public static final String DEFAULT_TIMEOUT = "5s";
    public static final String GET = "GET";
    public static final String HEAD = "HEAD";
    public static final String POST = "POST";
    public static final List<String> METHODS = List.of(GET, HEAD, POST);

    public SmokeCheck {
        expectJson = expectJson == null ? Map.of() : new TreeMap<>(expectJson);
        headers = headers == null ? Map.of() : new TreeMap<>(headers);
    }

    /** A GET without headers. */
    public SmokeCheck(String name, String path, Integer expectStatus, String expectBodyContains,
            Map<String, String> expectJson, String timeout) {
        this(name, path, expectStatus, expectBodyContains, expectJson, timeout, null, null, null);
    }

    /** What the verdict calls it. */
    public String label() {
        return name != null && !name.isBlank() ? name : verb() + " " + path;
    }

    /** The method to send: {@code method}, or {@value #GET} when none was given. */
    public String verb() {
        return method == null ? GET : method;
    }

    public int status() {
        return expectStatus == null ? DEFAULT_STATUS : expectStatus;
    }

    public Duration timeoutDuration() {
        return Durations.parse(timeout == null ? DEFAULT_TIMEOUT : timeout).orElse(Durations.of(DEFAULT_TIMEOUT));
    }

    /** The same check with every header value shown as {@value ReleaseSpec#MASK}: for views people read. */
    public SmokeCheck withHeadersMasked() {
        if (headers.isEmpty()) {
            return this;
        }
        Map<String, String> masked = new TreeMap<>();
        headers.keySet().forEach(header -> masked.put(header, ReleaseSpec.MASK));
        return new SmokeCheck(name, path, expectStatus, expectBodyContains, expectJson, timeout, method, masked, body);
    }

    /** Whether a header value shows as {@value ReleaseSpec#MASK}: a copy for people, not one to run. */
    public boolean hasMaskedHeaders() {
        return headers.containsValue(ReleaseSpec.MASK);
    }
}
