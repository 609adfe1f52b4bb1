package dev.stagecraft.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the live view shows, folded from the deployment's view and its timeline lines: the steps (or batches)
 * with their state and time, the traffic split the router confirmed, every verdict, and the status. It reads
 * the saga's own words ("step 2/3", "router confirmed canary 25.0%", "… passed: …", "verdict FAIL …").
 */
public class DeploymentPicture {
    private static final Pattern STEP = Pattern.compile("\\b(step|batch) (\\d+)/(\\d+)");
    private static final Pattern WEIGHT = Pattern.compile("(\\w+) ([0-9]+(?:\\.[0-9]+)?)%");

    public enum StepState { WAITING, RUNNING, PASSED, FAILED }

    public static final class Step {
        final String label;
        StepState state = StepState.WAITING;
        Instant started;
        Instant ended;

        Step(String label) {
            this.label = label;
        }
    }

    final String id;
    final String title;
    String status;
    final Instant started;
    Instant lastAt;
    final Map<Integer, Step> steps = new LinkedHashMap<>();
    final Map<String, Double> weights = new LinkedHashMap<>();
    final List<String> verdicts = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    String stepWord = "step";

    public DeploymentPicture(JsonNode view) {
        this.id = view.path("id").asText();
        JsonNode strategy = view.path("strategy");
        this.title = view.path("service").asText() + " " + view.path("version").asText() + " -> "
                + view.path("environment").asText() + "  (" + strategy.path("type").asText("?") + ")";
        this.status = view.path("status").asText();
        Instant first = null;
        JsonNode timeline = view.path("timeline");
        if (timeline.size() > 0) {
            first = Instant.parse(timeline.get(0).path("at").asText());
        }
        this.started = first != null ? first : Instant.now();
        int i = 1;
        for (JsonNode step : strategy.path("steps")) {
            steps.put(i, new Step(step.path("weight").asText() + "%" + (step.has("analysis")
                    ? ", analysis " + step.path("analysis").asText() : "")));
            i++;
        }
    }

    /** One timeline line (the data of an SSE event, or an entry of the view's timeline). */
    public void apply(JsonNode line) {
        Instant at = Instant.parse(line.path("at").asText());
        lastAt = at;
        status = line.path("status").asText(status);
        String message = line.path("message").asText();
        lines.add(clock(at) + "  " + pad(status, 12) + message);
        Matcher step = STEP.matcher(message);
        if (step.find()) {
            stepWord = step.group(1);
            int n = Integer.parseInt(step.group(2));
            int total = Integer.parseInt(step.group(3));
            for (int k = 1; k <= total; k++) {
                steps.computeIfAbsent(k, key -> new Step(""));
            }
            Step current = steps.get(n);
            for (int k = 1; k < n; k++) {
                Step before = steps.get(k);
                if (before.state == StepState.WAITING || before.state == StepState.RUNNING) {
                    before.state = StepState.PASSED;
                    if (before.ended == null) {
                        before.ended = at;
                    }
                }
            }
            if (current.started == null) {
                current.started = at;
            }
            boolean bad = message.contains("verdict FAIL") || message.contains("INCONCLUSIVE") || message.contains("broke");
            if (bad) {
                current.state = StepState.FAILED;
                current.ended = at;
            } else if (message.contains("passed") || message.contains("verdict PASS")) {
                current.state = StepState.PASSED;
                current.ended = at;
            } else if (current.state == StepState.WAITING) {
                current.state = StepState.RUNNING;
            }
        }
        if (message.startsWith("router confirmed")) {
            weights.clear();
            Matcher weight = WEIGHT.matcher(message);
            while (weight.find()) {
                weights.put(weight.group(1), Double.parseDouble(weight.group(2)));
            }
        }
        if (message.contains("verdict ") || message.contains(" passed: ") || message.contains("INCONCLUSIVE")) {
            verdicts.add(message);
        }
        if ("SUCCEEDED".equals(status)) {
            steps.values().forEach(s -> {
                if (s.state != StepState.FAILED) {
                    s.state = StepState.PASSED;
                }
            });
        }
    }

    public String status() {
        return status;
    }

    public String id() {
        return id;
    }

    /** The screen, {@code width} columns wide at most. */
    public List<String> render(Instant now, int width) {
        List<String> out = new ArrayList<>();
        Instant end = Outcome.isFinal(status) && lastAt != null ? lastAt : now;
        out.add(cut("deploy " + title + "   id " + id, width));
        out.add("status " + status + "   elapsed " + elapsed(Duration.between(started, end)));
        if (!steps.isEmpty()) {
            out.add(stepWord.equals("batch") ? "batches" : "steps");
            for (Map.Entry<Integer, Step> entry : steps.entrySet()) {
                Step s = entry.getValue();
                String time = s.started == null ? "" : elapsed(Duration.between(s.started, s.ended != null ? s.ended : end));
                out.add(cut("  " + mark(s.state) + " " + stepWord + " " + entry.getKey() + "/" + steps.size() + "  "
                        + pad(s.label, 22) + pad(s.state.name().toLowerCase(), 9) + time, width));
            }
        }
        if (!weights.isEmpty()) {
            out.add("traffic (confirmed by the router)");
            for (Map.Entry<String, Double> w : weights.entrySet()) {
                out.add("  " + pad(w.getKey(), 8) + bar(w.getValue(), 30) + String.format(" %5.1f%%", w.getValue()));
            }
        }
        if (!verdicts.isEmpty()) {
            out.add("verdicts");
            for (String verdict : verdicts) {
                out.add(cut("  " + verdict, width));
            }
        }
        out.add("timeline");
        for (String line : lines.subList(Math.max(0, lines.size() - 8), lines.size())) {
            out.add(cut("  " + line, width));
        }
        if (Outcome.isFinal(status)) {
            out.add("outcome: " + status + " after " + elapsed(Duration.between(started, end)));
        }
        return out;
    }

    static String bar(double percent, int cells) {
        int full = (int) Math.round(percent / 100.0 * cells);
        return "[" + "#".repeat(Math.max(0, Math.min(cells, full))) + ".".repeat(Math.max(0, cells - full)) + "]";
    }

    private static String mark(StepState state) {
        return switch (state) {
            case PASSED -> "+";
            case FAILED -> "x";
            case RUNNING -> ">";
            case WAITING -> " ";
        };
    }

    static String elapsed(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format("%d:%02d", s / 60, s % 60);
    }

    private String clock(Instant at) {
        return elapsed(Duration.between(started, at));
    }

    static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, Math.max(0, width - 1)) + "~";
    }
}
