package dev.stagecraft.contracts;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP check of key functionality that a release declares: health-monitor sends {@code GET <path>} to every new
 * instance of the release once it is ready, before it takes traffic, and the step fails unless the answer has
 * {@code expectStatus} (default 200), contains {@code expectBodyContains} (if set), and has, at each JSON pointer of
 * {@code expectJson}, the JSON value written as its text ({@code {"/items": "[]"}}). Only {@code GET}: a smoke check
 * must not change what it checks. {@code name} defaults to {@code GET <path>}; {@code timeout} to
 * {@value #DEFAULT_TIMEOUT}. {@link SmokeCheckRules} validates a list of them.
 */
public record SmokeCheck(String name, String path, Integer expectStatus, String expectBodyContains,
        Map<String, String> expectJson, String timeout) {
    public static final int DEFAULT_STATUS = 200;
    public static final String DEFAULT_TIMEOUT = "5s";

    public SmokeCheck {
        expectJson = expectJson == null ? Map.of() : new TreeMap<>(expectJson);
    }

    /** What the verdict calls it. */
    public String label() {
        return name != null && !name.isBlank() ? name : "GET " + path;
    }

    public int status() {
        return expectStatus == null ? DEFAULT_STATUS : expectStatus;
    }

    public Duration timeoutDuration() {
        return Durations.parse(timeout == null ? DEFAULT_TIMEOUT : timeout).orElse(Durations.of(DEFAULT_TIMEOUT));
    }
}
