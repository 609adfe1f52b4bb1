package dev.stagecraft.release.alerts;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.platform.api.Violations;

/**
 * Reads Alertmanager's webhook body (version 4: {@code {version, status, receiver, groupLabels, commonLabels,
 * alerts: [{status, labels, annotations, startsAt, endsAt, fingerprint}]}}). Unknown fields are allowed, since
 * Alertmanager adds some between versions; a body without an {@code alerts} list, or an alert without
 * {@code status} or {@code labels}, is a 400 naming it. Only firing alerts with both a {@code service} and an
 * {@code environment} label can act; the others are counted as {@code skipped}.
 */
public final class AlertmanagerNotification {
    public record Read(List<FiringAlert> firing, int skipped) {
    }

    public static Read read(JsonNode body) {
        Violations v = new Violations();
        if (body == null || !body.isObject()) {
            v.add("body", "must be Alertmanager's webhook JSON object");
            v.throwIfAny("not an Alertmanager notification");
        }
        JsonNode alerts = body.get("alerts");
        if (alerts == null || !alerts.isArray()) {
            v.add("alerts", "is required: the list of alerts");
            v.throwIfAny("not an Alertmanager notification");
        }
        List<FiringAlert> firing = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < alerts.size(); i++) {
            JsonNode alert = alerts.get(i);
            String at = "alerts[" + i + "]";
            JsonNode labels = alert.get("labels");
            String status = text(alert, "status");
            if (!alert.isObject() || labels == null || !labels.isObject() || status == null) {
                v.add(at, "needs status and labels");
                continue;
            }
            Instant startsAt = instant(v, at + ".startsAt", text(alert, "startsAt"));
            String service = text(labels, "service");
            String environment = text(labels, "environment");
            if (!"firing".equals(status) || service == null || environment == null) {
                skipped++;
                continue;
            }
            JsonNode annotations = alert.path("annotations");
            String summary = text(annotations, "summary");
            firing.add(new FiringAlert(name(labels), service, environment,
                    summary != null ? summary : text(annotations, "description"), startsAt, text(alert, "fingerprint")));
        }
        v.throwIfAny("not an Alertmanager notification");
        return new Read(firing, skipped);
    }

    private static String name(JsonNode labels) {
        String name = text(labels, "alertname");
        return name != null ? name : "(no alertname)";
    }

    private static Instant instant(Violations v, String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            v.add(field, "'" + text + "' is not an RFC 3339 time");
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private AlertmanagerNotification() {
    }
}
