package dev.stagecraft.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @Test
    void scrubsPlainSecretValuesFromTextLongestFirstAndLeavesShortOnesAlone() {
        assertEquals("connect to db with *** failed (***), mode on", SecretMasking.scrubbed(
                "connect to db with hunter22 failed (hunter22-longer), mode on", List.of("hunter22", "hunter22-longer",
                        "on")));
        assertEquals(null, SecretMasking.scrubbed(null, List.of("hunter22")));
        assertEquals("text", SecretMasking.scrubbed("text", null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a saga start                | {'release':{'config':{'A':'1'},'secrets':{'DB':'sealed:v2:k1:AB+/c='}}} | {'release':{'config':{'A':'1'},'secrets':{'DB':'***'}}}",
            "a sealed value in config    | {'config':{'STOLEN':'sealed:v2:default:QUJD'}}                        | {'config':{'STOLEN':'***'}}",
            "an old v1 value in a text   | {'message':'got sealed:v1:QUJD= from x'}                               | {'message':'got *** from x'}",
            "not JSON                    | oops sealed:v2:k:QUJD and more                                         | oops *** and more",
            "nothing secret              | {'a':[1,2],'b':'sealed?'}                                              | {'a':[1,2],'b':'sealed?'}",
            "a smoke check's headers     | {'smokeChecks':[{'path':'/a','headers':{'X-Key':'k1'}},{'path':'/b'}]} | {'smokeChecks':[{'path':'/a','headers':{'X-Key':'***'}},{'path':'/b'}]}",
            "headers outside smokeChecks | {'headers':{'X-Key':'k1'}}                                             | {'headers':{'X-Key':'k1'}}",
    })
    void aDeadLetterShowsNoSealedValue(String name, String value, String expected) {
        assertEquals(expected.replace('\'', '"'), SecretMasking.maskedRecordValue(value.replace('\'', '"')));
    }
}
