package dev.stagecraft.health.smoke;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.SmokeCheck;

/**
 * Judges one answer to a smoke check: what was wrong with it, in words that name what was expected and what came,
 * or nothing when it passed. Pure. What it quotes of the answer is cut to {@value #QUOTED} characters: a verdict
 * travels to the saga's lifecycle messages, and an instance's answer is not ours to copy at length.
 */
public final class SmokeJudge {
    static final int QUOTED = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Optional<String> problem(SmokeCheck check, int status, String body) {
        List<String> problems = new ArrayList<>();
        if (status != check.status()) {
            problems.add("expected HTTP " + check.status() + ", got " + status);
        }
        String text = body == null ? "" : body;
        if (check.expectBodyContains() != null && !text.contains(check.expectBodyContains())) {
            problems.add("expected the body to contain \"" + check.expectBodyContains() + "\", got "
                    + (text.isEmpty() ? "an empty body" : "\"" + quote(text) + "\""));
        }
        if (!check.expectJson().isEmpty()) {
            jsonProblems(check.expectJson(), text).ifPresent(problems::add);
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static Optional<String> jsonProblems(Map<String, String> expected, String body) {
        JsonNode document;
        try {
            document = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            document = null;
        }
        if (document == null || document.isMissingNode()) {
            return Optional.of("expected a JSON body, got " + (body.isEmpty() ? "an empty body" : "\"" + quote(body) + "\""));
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> pointer : expected.entrySet()) {
            JsonNode want;
            try {
                want = JSON.readTree(pointer.getValue());
            } catch (JsonProcessingException e) {
                want = null;
            }
            JsonNode got = document.at(pointer.getKey());
            if (want == null) {
                problems.add(pointer.getKey() + ": the expected value " + pointer.getValue() + " is not JSON");
            } else if (got.isMissingNode()) {
                problems.add("expected " + pointer.getKey() + " to be " + pointer.getValue() + ", but it is missing");
            } else if (!want.equals(got)) {
                problems.add("expected " + pointer.getKey() + " to be " + pointer.getValue() + ", got " + quote(got.toString()));
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    static String quote(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= QUOTED ? oneLine : oneLine.substring(0, QUOTED) + "…";
    }

    private SmokeJudge() {
    }
}
