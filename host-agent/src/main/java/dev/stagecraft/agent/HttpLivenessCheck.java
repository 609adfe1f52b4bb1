package dev.stagecraft.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Duration;

/**
 * {@code GET http://<address>:<port>/health/live}; any 2xx within the timeout is live. HttpURLConnection rather
 * than java.net.http.HttpClient: no thread pool of its own, which keeps the agent small.
 */
final class HttpLivenessCheck implements LivenessCheck {
    static final String PATH = "/health/live";

    private final int timeoutMillis;

    HttpLivenessCheck(Duration timeout) {
        this.timeoutMillis = (int) timeout.toMillis();
    }

    @Override
    public boolean isLive(String address, int port) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) new URL("http", address, port, PATH).openConnection();
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setUseCaches(false);
            int status = connection.getResponseCode();
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (body != null) {
                    body.readAllBytes();
                }
            }
            return status >= 200 && status < 300;
        } catch (IOException e) {
            return false;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
