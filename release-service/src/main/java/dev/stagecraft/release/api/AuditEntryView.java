package dev.stagecraft.release.api;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.persistence.AuditEntryEntity;

public record AuditEntryView(long id, Instant at, String actor, String action, String subjectType, String subjectId,
        JsonNode details, String overrideReason) {
    public static AuditEntryView of(AuditEntryEntity e) {
        return new AuditEntryView(e.id, e.at, e.actor, e.action, e.subjectType, e.subjectId,
                JsonText.read(e.details, JsonNode.class), e.overrideReason);
    }
}
