package dev.stagecraft.contracts.cdevents;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CDEvent before it is stamped: its type, its Kafka key, its subject's id and the subject's content. The key is
 * the service for everything about a service (its deployments, incidents and artifacts, so that a consumer reads them
 * in order), the environment's name for an environment. {@link #document} adds
 * the context once the outbox has given the record its CloudEvents id and time, so that {@code context.id},
 * {@code .source} and {@code .timestamp} are the record's {@code ce_id}, {@code ce_source} and {@code ce_time}.
 * The document is nested maps with no null in them (the schemas allow no null), ready for any JSON writer.
 */
public record CdEvent(String type, String key, String subjectId, Map<String, Object> content) {

    public CdEvent {
        if (type == null || key == null || key.isEmpty() || subjectId == null || subjectId.isEmpty()) {
            throw new IllegalArgumentException("a CDEvent needs a type, a key and a subject id");
        }
        content = content == null ? Map.of() : Map.copyOf(content);
    }

    /** The whole CDEvent: {@code {context: {specversion, id, source, type, timestamp}, subject: {id, content}}}. */
    public Map<String, Object> document(String id, String source, Instant timestamp) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("specversion", CdEventTypes.SPEC_VERSION);
        context.put("id", id);
        context.put("source", source);
        context.put("type", type);
        context.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(timestamp));
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("id", subjectId);
        subject.put("content", content);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("context", context);
        document.put("subject", subject);
        return document;
    }
}
