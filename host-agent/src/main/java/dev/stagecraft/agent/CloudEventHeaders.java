package dev.stagecraft.agent;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * CloudEvents 1.0 Kafka binding, binary content mode, with the header names the services use (platform's
 * {@code CloudEventHeaders}; copied rather than depending on platform, which would bring Quarkus into the agent).
 */
final class CloudEventHeaders {
    static final String ID = "ce_id";
    static final String SOURCE = "ce_source";
    static final String SPEC_VERSION = "ce_specversion";
    static final String TYPE = "ce_type";
    static final String TIME = "ce_time";
    static final String SUBJECT = "ce_subject";
    static final String CONTENT_TYPE = "content-type";
    static final String SPEC_VERSION_1_0 = "1.0";
    static final String JSON = "application/json";

    /** The value of header {@code name} of {@code record} as text; null when the record has none. */
    static String value(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private CloudEventHeaders() {
    }
}
