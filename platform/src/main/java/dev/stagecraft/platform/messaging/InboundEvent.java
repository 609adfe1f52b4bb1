package dev.stagecraft.platform.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A decoded CloudEvent taken from Kafka. The payload stays a JSON tree until a handler asks for its record. */
public record InboundEvent(String id, String type, String source, String key, String topic, JsonNode data,
        ObjectMapper mapper) {

    /** The payload as the record its type promises; a payload of the wrong shape is a poison record. */
    public <T> T as(Class<T> payloadType) {
        try {
            return mapper.treeToValue(data, payloadType);
        } catch (Exception e) {
            throw new PoisonRecordException("payload of " + type + " is not a valid " + payloadType.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }
}
