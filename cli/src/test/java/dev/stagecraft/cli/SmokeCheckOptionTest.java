package dev.stagecraft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What --smoke-check makes of what a person types: the JSON sent, or a refusal before anything is sent. */
class SmokeCheckOptionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "a path                  | /api/cart                            | {'path':'/api/cart'}",
            "a path, spaces around   | '  /api/cart '                       | {'path':'/api/cart'}",
            "a method and a path     | HEAD /                               | {'method':'HEAD','path':'/'}",
            "a POST                  | POST /api/quote                      | {'method':'POST','path':'/api/quote'}",
            "lower case is the server's to refuse | post /a                 | {'method':'post','path':'/a'}",
            "JSON, as it is          | {'path':'/a','headers':{'X-K':'v'}}  | {'path':'/a','headers':{'X-K':'v'}}",
            "not JSON                | {'path':                             | -",
            "a JSON array            | [1]                                  | {'path':'[1]'}",
            "three words             | GET /a /b                            | -",
            "nothing                 | ''                                   | -",
    })
    void shorthandsBecomeJson(String what, String typed, String sent) {
        String given = typed.replace('\'', '"');
        if (sent == null) {
            assertThrows(IllegalArgumentException.class, () -> SmokeCheckOption.parse(given));
        } else {
            assertEquals(sent.replace('\'', '"'), SmokeCheckOption.parse(given).toString());
        }
    }
}
