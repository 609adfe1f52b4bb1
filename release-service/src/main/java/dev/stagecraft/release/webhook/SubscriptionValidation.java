package dev.stagecraft.release.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import dev.stagecraft.platform.api.Violations;

/** The shape rules of a subscription; every broken rule is reported at once. Messages never quote the secret. */
public final class SubscriptionValidation {
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 256;
    static final int MAX_URL = 2000;

    private SubscriptionValidation() {
    }

    public static Violations check(SubscriptionRequest request) {
        Violations v = new Violations();
        if (request == null) {
            return v.add("body", "a subscription needs a JSON body with url, secret and events");
        }
        checkUrl(v, request.url());
        checkSecret(v, request.secret());
        checkEvents(v, request.events());
        return v;
    }

    private static void checkUrl(Violations v, String url) {
        if (url == null || url.isBlank()) {
            v.add("url", "is required: an absolute http or https URL");
            return;
        }
        if (url.length() > MAX_URL) {
            v.add("url", "is longer than " + MAX_URL + " characters");
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            v.add("url", "is not a valid URL: " + e.getReason());
            return;
        }
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            v.add("url", "must be an absolute http or https URL");
        } else if (uri.getHost() == null || uri.getHost().isBlank()) {
            v.add("url", "must name a host");
        }
        // Credentials in the URL would be shown by GET /api/v1/webhooks; the secret is what proves the sender.
        if (uri.getRawUserInfo() != null) {
            v.add("url", "must not carry credentials (user:password@); receivers check the signature instead");
        }
        if (uri.getRawFragment() != null) {
            v.add("url", "must not have a #fragment: it is never sent");
        }
    }

    private static void checkSecret(Violations v, String secret) {
        if (secret == null || secret.isEmpty()) {
            v.add("secret", "is required: at least " + MIN_SECRET + " characters, used to sign every request");
        } else if (secret.length() < MIN_SECRET) {
            v.add("secret", "must be at least " + MIN_SECRET + " characters (it has " + secret.length() + ")");
        } else if (secret.length() > MAX_SECRET) {
            v.add("secret", "must be at most " + MAX_SECRET + " characters");
        } else if (!secret.equals(secret.strip())) {
            v.add("secret", "must not start or end with white space (receivers would have to reproduce it exactly)");
        }
    }

    private static void checkEvents(Violations v, List<String> events) {
        if (events == null || events.isEmpty()) {
            v.add("events", "is required: a list of " + WebhookEvents.names() + " or [\"*\"] for all");
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            String name = events.get(i);
            if (name == null || !WebhookEvents.isKnown(name)) {
                v.add("events[" + i + "]", "'" + name + "' is not one of " + WebhookEvents.names() + " or \"*\"");
            }
        }
    }
}
