package dev.stagecraft.platform.outbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outbox rows written by a statement of the caller's own, next to the change they announce: the rows travel as a JSON
 * array inside one parameter, and {@link #insertFrom} inserts them in the array's order, so their ids (the relay's
 * order) follow it. A change and all its events in one statement is one round trip to the database, where
 * {@link Outbox#add} is one per row.
 */
public final class OutboxRows {

    /**
     * An {@code INSERT} of the rows in {@code jsonArray} (an SQL expression of type {@code json} holding what
     * {@link #json} made), for a {@code WITH} clause of the caller's statement.
     */
    public static String insertFrom(String jsonArray) {
        return "INSERT INTO outbox_event (event_id, topic, event_key, type, payload, created_at)"
                + " SELECT r->>'eventId', r->>'topic', r->>'key', r->>'type', r->>'payload',"
                + " CAST(r->>'createdAt' AS timestamptz)"
                + " FROM json_array_elements(" + jsonArray + ") WITH ORDINALITY AS outbox_rows(r, n) ORDER BY n";
    }

    /** The rows ({@link Outbox#row}) as the JSON array {@link #insertFrom} reads, to put in the caller's parameter. */
    public static List<Map<String, String>> json(List<OutboxEvent> rows) {
        return rows.stream().map(OutboxRows::json).toList();
    }

    private static Map<String, String> json(OutboxEvent row) {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("eventId", row.eventId);
        json.put("topic", row.topic);
        json.put("key", row.eventKey);
        json.put("type", row.type);
        json.put("payload", row.payload);
        json.put("createdAt", row.createdAt.toString());
        return json;
    }

    private OutboxRows() {
    }
}
