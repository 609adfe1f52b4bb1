package dev.stagecraft.release.commands;

import java.util.ArrayList;
import java.util.List;

import dev.stagecraft.contracts.CommandOutcome;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;

/**
 * Turns what the REST API would have answered (an {@link ApiProblem}) into the words of a rejection:
 * a {@code detail} led by the kind of refusal ("invalid", "unauthorised", "forbidden", "not found",
 * "conflict", "unprocessable") and every violation as an error. Texts are clipped, because a rejection
 * may quote a huge value back and must still fit in one Kafka record.
 */
final class CommandProblems {
    static final int MAX_ERRORS = 50;
    static final int MAX_TEXT = 500;
    static final int MAX_FIELD = 200;

    private CommandProblems() {
    }

    static String kind(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorised";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 409 -> "conflict";
            case 422 -> "unprocessable";
            default -> "refused";
        };
    }

    static String detailOf(ApiProblem problem) {
        return clip(kind(problem.status()) + ": " + problem.getMessage(), MAX_TEXT);
    }

    /**
     * Every violation; one naming the detail when the problem has none (a 404). Who-you-are and
     * what-you-may problems say so in every message, so that a CI log line alone tells them apart.
     */
    static List<CommandOutcome.Error> errorsOf(ApiProblem problem) {
        Problem p = problem.toProblem();
        boolean access = problem.status() == 401 || problem.status() == 403;
        String prefix = access ? kind(problem.status()) + ": " : "";
        List<CommandOutcome.Error> errors = new ArrayList<>();
        for (Problem.Violation v : p.errors()) {
            errors.add(new CommandOutcome.Error(v.field(), prefix + v.message()));
        }
        if (errors.isEmpty()) {
            errors.add(new CommandOutcome.Error("data", detailOf(problem)));
        }
        return clipped(errors);
    }

    /** At most {@value #MAX_ERRORS} errors (the last says how many more), each clipped. */
    static List<CommandOutcome.Error> clipped(List<CommandOutcome.Error> errors) {
        List<CommandOutcome.Error> out = new ArrayList<>();
        for (CommandOutcome.Error e : errors) {
            if (out.size() == MAX_ERRORS - 1 && errors.size() > MAX_ERRORS) {
                out.add(new CommandOutcome.Error("errors", "and " + (errors.size() - out.size()) + " more problems"));
                break;
            }
            out.add(new CommandOutcome.Error(clip(e.field(), MAX_FIELD), clip(e.message(), MAX_TEXT)));
        }
        return out;
    }

    /** {@code detail} for a rejection built from {@code errors}: the first one, and how many follow. */
    static String summary(String kind, List<CommandOutcome.Error> errors) {
        CommandOutcome.Error first = errors.get(0);
        String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more problems)" : "";
        return clip(kind + ": " + (first.field() == null ? "" : first.field() + " ") + first.message() + more, MAX_TEXT);
    }

    static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "… (" + (text.length() - max) + " more characters)";
    }
}
