package dev.stagecraft.platform.api;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads request bodies. Resources take the raw text and read it here, because the framework's own
 * reader answers malformed JSON with a bare 400 that names nothing; this answers problem+json that
 * says where the body went wrong.
 */
@ApplicationScoped
public class JsonBodies {
    private final ObjectMapper mapper;

    public JsonBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The body as {@code type}; null for an empty body (each endpoint decides whether that is allowed). */
    public <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest(ProblemMappers.MALFORMED_BODY, List.of(JsonErrors.violationOf(e)));
        }
    }
}
