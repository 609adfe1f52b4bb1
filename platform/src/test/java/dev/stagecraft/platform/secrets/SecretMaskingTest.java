package dev.stagecraft.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SecretMaskingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySecretsObjectAtAnyDepthShowsItsNamesAndMasksItsValues() throws Exception {
        JsonNode state = JSON.readTree("""
                {"target":{"version":"2.0.0","config":{"MODE":"strict"},"secrets":{"DB_PASSWORD":"sealed:v2:k:AAAA"}},
                 "previous":{"i-a":{"secrets":{"API_TOKEN":"sealed:v2:k:BBBB"}}},
                 "pending":{"request":{"assignments":[{"release":{"secrets":{"X":"sealed:v2:k:CCCC"}}}]}},
                 "secrets":"not an object: left alone"}""");
        String masked = SecretMasking.masked(state).toString();
        assertFalse(masked.contains("sealed:v2"), masked);
        assertEquals("***", state.at("/target/secrets/DB_PASSWORD").asText());
        assertEquals("***", state.at("/previous/i-a/secrets/API_TOKEN").asText());
        assertEquals("***", state.at("/pending/request/assignments/0/release/secrets/X").asText());
        assertEquals("strict", state.at("/target/config/MODE").asText(), "config is not a secret");
        assertEquals("not an object: left alone", state.at("/secrets").asText());
    }
}
