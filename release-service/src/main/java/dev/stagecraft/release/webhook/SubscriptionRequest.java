package dev.stagecraft.release.webhook;

import java.util.List;

/** Body of POST /api/v1/webhooks. */
public record SubscriptionRequest(String url, String secret, List<String> events) {
    /** Never let the secret reach a log line through a record's generated toString. */
    @Override
    public String toString() {
        return "SubscriptionRequest[url=" + url + ", secret=***, events=" + events + "]";
    }
}
