package dev.stagecraft.platform.messaging;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes travel as {@code ce_*} headers. */
public final class CloudEventHeaders {
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    /** {@code ce_source} of everything a service publishes: {@code /stagecraft/<quarkus.application.name>}. */
    public static String source(String applicationName) {
        return "/stagecraft/" + applicationName;
    }

    /** The value of header {@code name} of {@code record} as text; null when the record has none. */
    public static String value(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private CloudEventHeaders() {
    }
}
