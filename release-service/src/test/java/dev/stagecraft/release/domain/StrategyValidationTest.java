package dev.stagecraft.release.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.release.api.CompactStrategies;
import dev.stagecraft.release.api.NulFreeJson;

/**
 * The strategy object of a deployment request as JSON, table-driven: what passes comes back with its
 * defaults (written as the API shows it), what fails names every field, unknown and mistyped ones included.
 * The rules themselves are {@code StrategyRulesTest}'s (contracts); this is what JSON adds to them.
 */
class StrategyValidationTest {
    static final ObjectMapper MAPPER = mapper();
    static final String DEFAULT_ANALYSIS = "{\"maxErrorRate\":0.01,\"maxP99Ms\":500,\"maxErrorRatio\":1.5,"
            + "\"baselineErrorFloor\":0.001,\"minRequests\":50,\"inconclusive\":\"pause\",\"interval\":\"5s\"}";

    final StrategyValidation validation = new StrategyValidation(MAPPER);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"type":"rolling"}                                   | {"type":"rolling","maxUnavailable":"1"}
            {"type":"rolling","maxUnavailable":2}                | {"type":"rolling","maxUnavailable":"2"}
            {"type":"rolling","steps":null,"analysis":null}      | {"type":"rolling","maxUnavailable":"1"}
            {"type":"canary","steps":[{"weight":5},{"weight":100,"pause":true}]} | {"type":"canary","canaryReplicas":1,"steps":[{"weight":5,"analysis":"30s","pause":false},{"weight":100,"analysis":"30s","pause":true}],"analysis":ANALYSIS}
            {"type":"canary","canaryReplicas":"2","steps":[{"weight":"50","analysis":"2m"}],"analysis":{"maxErrorRate":0.05,"inconclusive":"fail"}} | {"type":"canary","canaryReplicas":2,"steps":[{"weight":50,"analysis":"2m","pause":false}],"analysis":{"maxErrorRate":0.05,"maxP99Ms":500,"maxErrorRatio":1.5,"baselineErrorFloor":0.001,"minRequests":50,"inconclusive":"fail","interval":"5s"}}
            {"type":"blue-green"}                                | {"type":"blue-green","autoPromote":true,"scaleDownDelay":"30s","analysis":ANALYSIS}
            {"type":"blue-green","replicas":3,"prePromotionAnalysis":"1m","autoPromote":false} | {"type":"blue-green","replicas":3,"prePromotionAnalysis":"1m","syntheticRequests":200,"autoPromote":false,"scaleDownDelay":"30s","analysis":ANALYSIS}
            """)
    void aGoodStrategyComesBackWithItsDefaults(String given, String expected) throws Exception {
        Violations v = new Violations();
        StrategySpec spec = validation.check(v, MAPPER.readTree(given));
        assertEquals(List.of(), v.list(), given);
        assertEquals(MAPPER.readTree(expected.replace("ANALYSIS", DEFAULT_ANALYSIS)),
                MAPPER.readTree(MAPPER.writeValueAsString(spec)), given);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            ~~                                                                      | strategy.type
            null                                                                    | strategy.type
            "rolling"                                                               | strategy
            42                                                                      | strategy
            [{"type":"rolling"}]                                                    | strategy
            {}                                                                      | strategy.type
            {"type":["canary"]}                                                     | strategy.type
            {"type":"can\\u0000ary","steps":[{"weight":5}]}                         | strategy.type
            {"type":"canary","steps":[{"weight":5}],"canaryReplica":2}              | strategy.canaryReplica
            {"type":"canary","steps":[{"weight":5,"wieght":6}]}                     | strategy.steps[0].wieght
            {"type":"canary","steps":[{"weight":5}],"analysis":{"maxErrorRatee":0.1}} | strategy.analysis.maxErrorRatee
            {"type":"rolling","maxUnavailable":1,"batchSize":2,"colour":"blue"}     | strategy.batchSize, strategy.colour
            {"type":"canary","steps":[null,{"weight":5}]}                           | strategy.steps[0]
            {"type":"canary","steps":[5,25]}                                        | strategy.steps[0], strategy.steps[1]
            {"type":"canary","steps":{"weight":5}}                                  | strategy.steps
            {"type":"canary","steps":"5,25,100"}                                    | strategy.steps
            {"type":"canary","steps":[]}                                            | strategy.steps
            {"type":"canary","steps":[{"weight":"five"}]}                           | strategy.steps[0].weight
            {"type":"canary","steps":[{"weight":5.5}]}                              | strategy.steps[0].weight
            {"type":"canary","steps":[{"weight":1e40}]}                             | strategy.steps[0].weight
            {"type":"canary","steps":[{"weight":0}]}                                | strategy.steps[0].weight
            {"type":"canary","steps":[{"weight":101}]}                              | strategy.steps[0].weight
            {"type":"canary","steps":[{"weight":50},{"weight":20}]}                 | strategy.steps[1].weight
            {"type":"canary","steps":[{"weight":5,"analysis":"30 seconds"}]}        | strategy.steps[0].analysis
            {"type":"canary","steps":[{"weight":5,"analysis":"-5s"}]}               | strategy.steps[0].analysis
            {"type":"canary","steps":[{"weight":5,"analysis":30}]}                  | strategy.steps[0].analysis
            {"type":"canary","steps":[{"weight":5,"pause":"maybe"}]}                | strategy.steps[0].pause
            {"type":"canary","steps":[{"weight":5}],"analysis":"strict"}            | strategy.analysis
            {"type":"canary","steps":[{"weight":5}],"analysis":{"inconclusive":"retry"}} | strategy.analysis.inconclusive
            {"type":"canary","steps":[{"weight":5}],"analysis":{"maxErrorRate":"NaN"}} | strategy.analysis.maxErrorRate
            {"type":"canary","steps":[{"weight":5}],"analysis":{"maxP99Ratio":"NaN","baselineErrorFloor":"Infinity"}} | strategy.analysis.baselineErrorFloor, strategy.analysis.maxP99Ratio
            {"type":"canary","steps":[{"weight":5}],"maxUnavailable":"25%"}         | strategy.maxUnavailable
            {"type":"canary","canaryReplicas":[],"steps":[{"weight":5,"pause":"maybe"}],"analysis":{"minRequests":{}}} | strategy.analysis.minRequests, strategy.canaryReplicas, strategy.steps[0].pause
            {"type":"canary","steps":[{"weight":50},{"weight":20,"analysis":"30 seconds"}],"replicas":2,"colour":"blue"} | strategy.colour, strategy.replicas, strategy.steps[1].analysis, strategy.steps[1].weight
            {"type":"blue-green","replicas":2.5}                                    | strategy.replicas
            {"type":"blue-green","autoPromote":"yes"}                               | strategy.autoPromote
            {"type":"blue-green","scaleDownDelay":"30 seconds"}                     | strategy.scaleDownDelay
            {"type":"blue-green","prePromotionAnalysis":"-5s","postPromotionAnalysis":"soon"} | strategy.postPromotionAnalysis, strategy.prePromotionAnalysis
            {"type":"blue-green","steps":[{"weight":5}],"canaryReplicas":1}         | strategy.canaryReplicas, strategy.steps
            {"type":"blue-green","syntheticRequests":-1,"analysis":{"minRequests":0}} | strategy.analysis.minRequests, strategy.syntheticRequests
            """)
    void aBadStrategyNamesEveryField(String given, String expectedFields) throws Exception {
        JsonNode tree = given == null ? null : MAPPER.readTree(given);
        Violations v = new Violations();
        validation.check(v, tree);
        List<String> fields = v.list().stream().map(Problem.Violation::field).sorted().toList();
        assertEquals(List.of(expectedFields.split(", ")), fields, given + " -> " + v.list());
        v.list().forEach(p -> assertNotNull(p.message(), p.toString()));
        v.list().forEach(p -> assertTrue(!p.message().contains("java.lang") && !p.message().contains("CoercionConfig"), p.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"type":"canary","steps":[{"weight":5}],"canaryReplica":2}     | a strategy has type, maxUnavailable, canaryReplicas
            {"type":"canary","steps":[{"wieght":5}]}                       | a step has weight, analysis, pause
            {"type":"canary","steps":[{"weight":5,"analysis":"30 seconds"}]} | '30 seconds' is not a duration
            {"type":"canary","steps":[{"weight":5}],"analysis":{"inconclusive":"retry"}} | must be pause or fail
            """)
    void theAnswerSaysWhatWouldBeRight(String given, String expectedWords) throws Exception {
        Violations v = new Violations();
        validation.check(v, MAPPER.readTree(given));
        assertTrue(v.list().stream().anyMatch(p -> p.message().contains(expectedWords)), v.list().toString());
    }

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        new NulFreeJson().customize(mapper);
        new CompactStrategies().customize(mapper);
        return mapper;
    }
}
