package dev.stagecraft.release.webhook;

/** The headers on every webhook request. */
public final class WebhookHeaders {
    /** Delivery id: the same on every attempt of one delivery, so receivers can drop repeats. */
    public static final String DELIVERY = "X-Stagecraft-Delivery";
    /** Short event name, e.g. deployment.succeeded. */
    public static final String EVENT = "X-Stagecraft-Event";
    /** Unix seconds when this attempt was signed. */
    public static final String TIMESTAMP = "X-Stagecraft-Timestamp";
    /** {@code sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}. */
    public static final String SIGNATURE = "X-Stagecraft-Signature";

    private WebhookHeaders() {
    }
}
