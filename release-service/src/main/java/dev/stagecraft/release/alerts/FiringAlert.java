package dev.stagecraft.release.alerts;

import java.time.Instant;

/**
 * One firing alert of an Alertmanager notification that names a Stagecraft service and environment (labels
 * {@code service} and {@code environment}). {@code name} is its {@code alertname}; {@code summary} its
 * {@code summary} or {@code description} annotation, if any.
 */
public record FiringAlert(String name, String service, String environment, String summary, Instant startsAt,
        String fingerprint) {

    /** How the alert is named in a timeline and a rollback's reason. */
    public String describe() {
        StringBuilder text = new StringBuilder("alert ").append(name);
        if (summary != null && !summary.isBlank()) {
            text.append(" (").append(summary.strip()).append(')');
        }
        if (startsAt != null) {
            text.append(", firing since ").append(startsAt);
        }
        return text.toString();
    }
}
