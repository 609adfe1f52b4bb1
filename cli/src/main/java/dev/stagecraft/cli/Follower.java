package dev.stagecraft.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Follows a deployment to its end over the event stream and answers the exit code of its outcome. On a
 * terminal the picture is redrawn in place (cursor up, clear to the end); otherwise, or with
 * {@code --output json}, every event is one line. A broken stream is resumed after the last event id.
 */
public class Follower {
    public enum Mode { LIVE, TEXT, JSON }

    private final ApiClient api;
    private final PrintStream out;
    private final Mode mode;
    private int drawn;

    public Follower(ApiClient api, PrintStream out, Mode mode) {
        this.api = api;
        this.out = out;
        this.mode = mode;
    }

    public static Mode modeFor(String output) {
        if ("json".equals(output)) {
            return Mode.JSON;
        }
        if ("text".equals(output)) {
            return Mode.TEXT;
        }
        return System.console() != null ? Mode.LIVE : Mode.TEXT;
    }

    public int follow(String deploymentId) {
        JsonNode view = api.get(api.settings().releaseUrl(), "/api/v1/deployments/" + ApiClient.encode(deploymentId));
        DeploymentPicture picture = new DeploymentPicture(view);
        String last = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            last = api.follow(deploymentId, last, event -> {
                JsonNode line = ApiClient.parse(event.data());
                picture.apply(line);
                show(picture, line);
            });
            if (Outcome.isFinal(picture.status())) {
                break;
            }
            // the stream ended before the deployment did (a restart, a proxy): ask where it is and resume
            String status = api.get(api.settings().releaseUrl(), "/api/v1/deployments/" + ApiClient.encode(deploymentId))
                    .path("status").asText();
            if (Outcome.isFinal(status) && last == null) {
                picture.status = status;
                break;
            }
            sleep();
        }
        int code = Outcome.isFinal(picture.status()) ? Outcome.exitCodeOf(picture.status()) : Outcome.UNREACHABLE;
        if (mode == Mode.JSON) {
            ObjectNode end = ApiClient.JSON.createObjectNode();
            end.put("deploymentId", deploymentId).put("outcome", picture.status()).put("exitCode", code);
            out.println(end);
        } else if (mode == Mode.TEXT) {
            out.println("outcome: " + picture.status() + " (exit " + code + ")");
        }
        out.flush();
        return code;
    }

    private void show(DeploymentPicture picture, JsonNode line) {
        switch (mode) {
            case JSON -> out.println(line);
            case TEXT -> out.println(line.path("at").asText() + " " + line.path("status").asText() + " "
                    + line.path("message").asText());
            case LIVE -> redraw(picture.render(Instant.now(), width()));
        }
        out.flush();
    }

    private void redraw(List<String> screen) {
        StringBuilder frame = new StringBuilder();
        if (drawn > 0) {
            frame.append("\033[").append(drawn).append("F");
        }
        frame.append("\033[J");
        for (String row : screen) {
            frame.append(row).append('\n');
        }
        out.print(frame);
        drawn = screen.size();
    }

    private static int width() {
        String columns = System.getenv("COLUMNS");
        try {
            return columns == null ? 120 : Integer.parseInt(columns);
        } catch (NumberFormatException e) {
            return 120;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
