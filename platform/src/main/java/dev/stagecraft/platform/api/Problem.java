package dev.stagecraft.platform.api;

import java.util.List;

/**
 * RFC 9457 problem details, answered as {@code application/problem+json}. {@code errors} names
 * every violation found, so that a client can fix its request in one go.
 */
public record Problem(String type, String title, int status, String detail, List<Violation> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public record Violation(String field, String message) {
    }
}
