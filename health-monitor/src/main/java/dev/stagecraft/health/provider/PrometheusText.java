package dev.stagecraft.health.provider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads the Prometheus text exposition format 0.0.4: one sample a line, {@code name{label="value",...} value
 * [timestamp]}, comments and blank lines ignored. A line that does not parse rejects the whole scrape, as
 * Prometheus itself does: half a scrape would make counters look as if they went down.
 */
public final class PrometheusText {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static List<Sample> parse(String text) {
        return parse(text, name -> true);
    }

    /** Only the samples whose metric name is {@code wanted}; the others are still checked for syntax. */
    public static List<Sample> parse(String text, Predicate<String> wanted) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                Sample sample = new LineReader(line).sample();
                if (wanted.test(sample.name())) {
                    samples.add(sample);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a Prometheus sample ("
                        + e.getMessage() + "): " + line, e);
            }
        }
        return samples;
    }

    static double value(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a number");
                }
            }
        };
    }

    /** A cursor over one line. */
    private static final class LineReader {
        private final String line;
        private int at;

        LineReader(String line) {
            this.line = line;
        }

        Sample sample() {
            String name = token(c -> c == '{' || Character.isWhitespace(c));
            if (name.isEmpty()) {
                throw new IllegalArgumentException("no metric name");
            }
            Map<String, String> labels = peek() == '{' ? labels() : Map.of();
            skipSpaces();
            String value = token(Character::isWhitespace);
            if (value.isEmpty()) {
                throw new IllegalArgumentException("no value");
            }
            return new Sample(name, labels, value(value)); // a timestamp, if any, is not needed
        }

        private Map<String, String> labels() {
            Map<String, String> labels = new LinkedHashMap<>();
            at++; // '{'
            while (true) {
                skipSpaces();
                if (peek() == '}') {
                    at++;
                    return labels;
                }
                String label = token(c -> c == '=' || Character.isWhitespace(c));
                skipSpaces();
                expect('=');
                skipSpaces();
                expect('"');
                labels.put(label, quoted());
                skipSpaces();
                if (peek() == ',') {
                    at++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at " + at);
                }
            }
        }

        /** A label value up to its closing quote, with the format's escapes \\, \" and \n. */
        private String quoted() {
            StringBuilder value = new StringBuilder();
            while (at < line.length()) {
                char c = line.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && at < line.length()) {
                    char escaped = line.charAt(at++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated label value");
        }

        private String token(Predicate<Character> end) {
            int start = at;
            while (at < line.length() && !end.test(line.charAt(at))) {
                at++;
            }
            return line.substring(start, at);
        }

        private char peek() {
            if (at >= line.length()) {
                throw new IllegalArgumentException("line ends early");
            }
            return line.charAt(at);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + at);
            }
            at++;
        }

        private void skipSpaces() {
            while (at < line.length() && Character.isWhitespace(line.charAt(at))) {
                at++;
            }
        }
    }

    private PrometheusText() {
    }
}
