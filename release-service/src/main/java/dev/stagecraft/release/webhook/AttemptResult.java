package dev.stagecraft.release.webhook;

/** What one POST to a receiver came to: an HTTP status, or an error when no answer came. */
public record AttemptResult(Integer statusCode, String error, long durationMillis) {
    private static final int MAX_ERROR = 500;

    public static AttemptResult answered(int statusCode, long durationMillis) {
        return new AttemptResult(statusCode, statusCode / 100 == 2 ? null : "HTTP " + statusCode, durationMillis);
    }

    public static AttemptResult noAnswer(String error, long durationMillis) {
        String text = error == null ? "no answer" : error;
        return new AttemptResult(null, text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text,
                durationMillis);
    }

    public boolean delivered() {
        return statusCode != null && statusCode / 100 == 2;
    }
}
