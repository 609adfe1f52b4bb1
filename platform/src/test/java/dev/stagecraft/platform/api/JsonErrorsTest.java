package dev.stagecraft.platform.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonErrorsTest {
    enum Mode { PAUSE, FAIL }

    record Window(String timezone, List<String> days) {
    }

    record Body(String name, int order, double ratio, boolean flag, Mode mode, List<Window> windows,
            Map<String, String> config, java.time.LocalDate from) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"windows":["Tue-Thu 09:00-16:00"]}     | windows[0]         | must be an object
            {"windows":{"timezone":"UTC"}}          | windows            | must be a list
            {"windows":[{"days":"TUE"}]}            | windows[0].days    | must be a list
            {"order":"first"}                       | order              | 'first' is not a whole number
            {"order":[1]}                           | order              | must be a whole number
            {"ratio":"high"}                        | ratio              | 'high' is not a number
            {"flag":"maybe"}                        | flag               | 'maybe' is not true or false
            {"mode":"retry"}                        | mode               | 'retry' is not one of PAUSE, FAIL
            {"name":{"first":"a"}}                  | name               | must be a string
            {"config":[1,2]}                        | config             | must be an object
            {"from":"yesterday"}                    | from               | ~'yesterday' is not a LocalDate value~
            {"colour":"blue"}                       | colour             | unknown field 'colour'
            [1,2]                                   | body               | must be an object
            """)
    void namesTheFieldAndWhatItShouldBe(String json, String field, String message) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(json, Body.class));
        Problem.Violation violation = JsonErrors.violationOf(e);
        assertEquals(field, violation.field(), e.getOriginalMessage());
        assertEquals(message, violation.message(), e.getOriginalMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            ~{"name":"a",~                          | body
            {"name":'a'}                            | body
            nonsense                                | body
            """)
    void malformedJsonIsNamedWithoutJavaNames(String json, String field) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(json, Body.class));
        Problem.Violation violation = JsonErrors.violationOf(e);
        assertEquals(field, violation.field());
        assertFalse(violation.message().contains("dev.stagecraft") || violation.message().contains("java."),
                violation.message());
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"windows":[{"days":"TUE"}]}            | strategy  | strategy.windows[0].days
            {"order":"x"}                           | strategy  | strategy.order
            """)
    void aRootPrefixesThePath(String json, String root, String field) {
        JsonMappingException e = assertThrows(JsonMappingException.class, () -> MAPPER.readValue(json, Body.class));
        assertEquals(field, JsonErrors.pathOf(e.getPath(), root));
    }
}
