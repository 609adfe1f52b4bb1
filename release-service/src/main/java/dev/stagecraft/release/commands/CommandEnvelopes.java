package dev.stagecraft.release.commands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.stagecraft.contracts.CommandHeaders;
import dev.stagecraft.contracts.CommandOutcome;
import dev.stagecraft.platform.messaging.CloudEventHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads a command's headers: CloudEvents 1.0 in Kafka binary mode ({@code ce_specversion},
 * {@code ce_id}, {@code ce_source}, {@code ce_type}), the idempotency key and the bearer token. Pure and
 * total: whatever the record holds (no headers, bytes that are not UTF-8, huge values) it answers with
 * an envelope naming every problem, never an exception, so that every record can be answered.
 */
public final class CommandEnvelopes {
    private static final int MAX_SOURCE = 1000;
    private static final int QUOTED = 100;

    private CommandEnvelopes() {
    }

    public static CommandEnvelope read(ConsumerRecord<String, String> record) {
        List<CommandOutcome.Error> problems = new ArrayList<>();
        String specVersion = CloudEventHeaders.value(record, CloudEventHeaders.SPEC_VERSION);
        if (specVersion == null) {
            problems.add(error(CloudEventHeaders.SPEC_VERSION, "is required: 1.0 (the record is not a CloudEvent)"));
        } else if (!CloudEventHeaders.SPEC_VERSION_1_0.equals(specVersion)) {
            problems.add(error(CloudEventHeaders.SPEC_VERSION, quote(specVersion) + " is not supported: 1.0"));
        }
        String id = CloudEventHeaders.value(record, CloudEventHeaders.ID);
        if (!isUsableId(id)) {
            problems.add(error(CloudEventHeaders.ID, id == null ? "is required: a unique id for this command"
                    : idRule()));
        }
        String source = CloudEventHeaders.value(record, CloudEventHeaders.SOURCE);
        if (source == null || source.isBlank() || source.length() > MAX_SOURCE) {
            problems.add(error(CloudEventHeaders.SOURCE, "is required: a URI reference naming the sender, at most "
                    + MAX_SOURCE + " characters, e.g. /ci/my-pipeline"));
        }
        String type = CloudEventHeaders.value(record, CloudEventHeaders.TYPE);
        if (type == null) {
            problems.add(error(CloudEventHeaders.TYPE, "is required: one of " + CommandHandlers.TYPES));
        } else if (!CommandHandlers.TYPES.contains(type)) {
            problems.add(error(CloudEventHeaders.TYPE, "unknown command type " + quote(type) + ": one of "
                    + CommandHandlers.TYPES));
        }
        String key = CloudEventHeaders.value(record, CommandHeaders.IDEMPOTENCY_KEY);
        if (key != null && !isUsableId(key)) {
            problems.add(error(CommandHeaders.IDEMPOTENCY_KEY, idRule()));
        }
        String idempotencyKey = key != null ? (isUsableId(key) ? key : null) : (isUsableId(id) ? id : null);
        return new CommandEnvelope(record.topic() + "-" + record.partition() + "-" + record.offset(), record.key(),
                isUsableId(id) ? id : null, isUsableId(type) ? type : null, idempotencyKey,
                authorization(record), record.value(), problems);
    }

    /**
     * Whether {@code id} can serve as an id, a key or a Kafka record key: present, at most
     * {@value CommandHeaders#MAX_ID_LENGTH} characters, no control characters (PostgreSQL text cannot hold
     * NUL, and logs should not hold line breaks).
     */
    public static boolean isUsableId(String id) {
        return id != null && !id.isBlank() && id.length() <= CommandHeaders.MAX_ID_LENGTH
                && id.chars().noneMatch(Character::isISOControl);
    }

    /** Header names are matched in any case, since HTTP habits ("Authorization") carry over. */
    private static String authorization(ConsumerRecord<?, ?> record) {
        String value = null;
        for (Header h : record.headers()) {
            if (h.key() != null && h.key().equalsIgnoreCase(CommandHeaders.AUTHORIZATION) && h.value() != null) {
                value = new String(h.value(), StandardCharsets.UTF_8); // the last one wins, as with lastHeader
            }
        }
        return value;
    }

    private static String idRule() {
        return "must be 1 to " + CommandHeaders.MAX_ID_LENGTH + " characters without control characters";
    }

    /** A value quoted back to the sender. */
    static String quote(String value) {
        return "'" + shorten(value) + "'";
    }

    /** Cut short and without control characters: fit to be quoted in an answer or a log line. */
    static String shorten(String value) {
        String shown = value.length() > QUOTED ? value.substring(0, QUOTED) + "…" : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static CommandOutcome.Error error(String field, String message) {
        return new CommandOutcome.Error(field, message);
    }
}
