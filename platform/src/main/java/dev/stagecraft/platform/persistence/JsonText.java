package dev.stagecraft.platform.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON in a TEXT column, for small structured values that are always read and written whole
 * (config maps, gate lists, plans). Attribute converters are not CDI beans, so this keeps its own mapper.
 */
public final class JsonText {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot write JSON for " + value, e);
        }
    }

    public static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (Exception e) {
            // Not the text itself: stored documents may hold sealed secrets, and this message reaches the logs.
            throw new IllegalStateException("stored JSON (" + lengthOf(json) + " characters) cannot be read as "
                    + type.getType() + ": " + e.getMessage(), e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON (" + lengthOf(json) + " characters) cannot be read as "
                    + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * UTF-8 bytes as they come off the wire (a Kafka record's value), read without first making them a String: a
     * report of thousands of instances parses in about half the time.
     */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (Exception e) {
            throw new IllegalStateException("JSON (" + (json == null ? 0 : json.length) + " bytes) cannot be read as "
                    + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static int lengthOf(String json) {
        return json == null ? 0 : json.length();
    }

    private JsonText() {
    }
}
