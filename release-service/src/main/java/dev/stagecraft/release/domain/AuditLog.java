package dev.stagecraft.release.domain;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.persistence.AuditEntryEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who changed what, when, and with which break-glass reason. {@link #record} must run inside the
 * transaction of the change it describes, so that the change and its entry commit together.
 */
@ApplicationScoped
public class AuditLog {
    public static final String ENVIRONMENT = "environment";
    public static final String RELEASE = "release";
    public static final String DEPLOYMENT = "deployment";
    /** The actor of what the platform does by itself (a queued deployment starting). */
    public static final String SYSTEM = "stagecraft";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Clock clock;

    public AuditLog(Clock clock) {
        this.clock = clock;
    }

    public Uni<Void> record(String actor, String action, String subjectType, String subjectId, Object details,
            String overrideReason) {
        AuditEntryEntity entry = new AuditEntryEntity();
        entry.at = clock.instant();
        entry.actor = actor;
        entry.action = action;
        entry.subjectType = subjectType;
        entry.subjectId = subjectId;
        entry.details = JsonText.write(details);
        entry.overrideReason = overrideReason;
        return entry.persist().replaceWithVoid();
    }

    public Uni<Void> record(String actor, String action, String subjectType, String subjectId, Object details) {
        return record(actor, action, subjectType, subjectId, details, null);
    }

    /** Newest first. {@code subject} is a subject id (an environment name, "service/version", a deployment id). */
    @WithSession
    public Uni<List<AuditEntryEntity>> list(String subject, String actor, String limit) {
        int pageSize = parseLimit(limit);
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (subject != null && !subject.isBlank()) {
            query.append(" and subjectId = :subject");
            params.put("subject", subject);
        }
        if (actor != null && !actor.isBlank()) {
            query.append(" and actor = :actor");
            params.put("actor", actor);
        }
        query.append(" order by id desc");
        return AuditEntryEntity.<AuditEntryEntity>find(query.toString(), params).page(0, pageSize).list();
    }

    private static int parseLimit(String limit) {
        return QueryLimit.parse(limit, DEFAULT_LIMIT, MAX_LIMIT, "audit query");
    }
}
