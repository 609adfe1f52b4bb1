package dev.stagecraft.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** The public REST API and the deployment event stream, over java.net.http; JSON with Jackson. */
public class ApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiClient(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public JsonNode get(String base, String path) {
        return send("GET", base, path, null);
    }

    public JsonNode post(String base, String path, Object body) {
        return send("POST", base, path, body);
    }

    public JsonNode put(String base, String path, Object body) {
        return send("PUT", base, path, body);
    }

    /** The answer's JSON, a {@link MissingNode} for an empty body; a non-2xx answer throws {@link ApiError}. */
    public JsonNode send(String method, String base, String path, Object body) {
        HttpResponse<String> response = exchange(method, base, path, body);
        if (response.statusCode() / 100 != 2) {
            throw errorOf(response.statusCode(), response.body());
        }
        return parse(response.body());
    }

    /** The raw exchange, for callers that treat some statuses themselves (404/405 of an optional endpoint). */
    public HttpResponse<String> exchange(String method, String base, String path, Object body) {
        HttpRequest.Builder request = authorised(HttpRequest.newBuilder(URI.create(base + path)))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else if (body instanceof byte[] bytes) {
                request.header("Content-Type", "application/octet-stream")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Unreachable(base);
        } catch (IOException e) {
            throw new Unreachable(base + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Follows {@code GET /api/v1/deployments/{id}/events} after {@code lastEventId} until the server closes the
     * stream; every event's id, name and data go to {@code onEvent}. Returns the last event id seen.
     */
    public String follow(String deploymentId, String lastEventId, Consumer<SseEvent> onEvent) {
        HttpRequest.Builder request = authorised(HttpRequest.newBuilder(
                URI.create(settings.releaseUrl() + "/api/v1/deployments/" + encode(deploymentId) + "/events")))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        String last = lastEventId;
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw errorOf(response.statusCode(), body);
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            onEvent.accept(new SseEvent(id, name, data.toString()));
                            if (id != null) {
                                last = id;
                            }
                        }
                        id = null;
                        name = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
                    }
                }
            }
        } catch (ConnectException e) {
            throw new Unreachable(settings.releaseUrl());
        } catch (IOException e) {
            // a broken stream: the caller resumes after the last event
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return last;
    }

    public record SseEvent(String id, String name, String data) {
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String query(Map<String, String> params) {
        Map<String, String> present = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (v != null) {
                present.put(k, v);
            }
        });
        if (present.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        present.forEach((k, v) -> parts.add(k + "=" + encode(v)));
        return "?" + String.join("&", parts);
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder request) {
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        return request;
    }

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    static ApiError errorOf(int status, String body) {
        JsonNode problem = parse(body);
        String detail = problem.path("detail").asText(problem.path("title").asText(""));
        if (detail.isBlank()) {
            detail = status == 401 ? "not authenticated: set STAGECRAFT_TOKEN or a context's token"
                    : status == 403 ? "forbidden" : "the server answered " + status;
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            String field = error.path("field").asText("");
            String message = error.path("message").asText("");
            problems.add(field.isBlank() ? message : field + ": " + message);
        }
        return new ApiError(status, detail, problems);
    }

    /** The platform did not answer at all. */
    public static class Unreachable extends RuntimeException {
        public Unreachable(String where) {
            super("cannot reach " + where + " (is the platform up? STAGECRAFT_URL, or stagecraft config use-context)");
        }
    }
}
