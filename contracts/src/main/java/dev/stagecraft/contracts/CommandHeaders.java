package dev.stagecraft.contracts;

/**
 * Kafka record headers a command on {@link Topics#COMMANDS} carries besides the CloudEvents ones
 * ({@code ce_specversion}, {@code ce_id}, {@code ce_source}, {@code ce_type}).
 */
public final class CommandHeaders {
    /**
     * CloudEvents extension attribute {@code idempotencykey} in binary mode: commands with the same key
     * act once, and a repeat is answered with the first outcome. Without it the command's {@code ce_id}
     * is the key. At most {@value #MAX_ID_LENGTH} characters, no control characters.
     */
    public static final String IDEMPOTENCY_KEY = "ce_idempotencykey";
    /** {@code Bearer <JWT>}: the same tokens, roles and rules as release-service's REST API. */
    public static final String AUTHORIZATION = "authorization";
    /** The longest {@code ce_id} or idempotency key accepted. */
    public static final int MAX_ID_LENGTH = 200;

    private CommandHeaders() {
    }
}
