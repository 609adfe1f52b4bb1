package dev.stagecraft.rollout.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.platform.persistence.JsonText;

class ReleasesByInstanceTest {
    private static final ReleaseSpec OLD = new ReleaseSpec("shop", "1.0.0", new ArtifactRef("file:/a.jar",
            "a".repeat(64)), Map.of("GREETING", "hi"), Map.of("API_TOKEN", "sealed:v2:abc"));
    private static final ReleaseSpec OTHER = new ReleaseSpec("shop", "0.9.0", new ArtifactRef("file:/z.jar",
            "c".repeat(64)), Map.of());

    private static Map<String, ReleaseSpec> ordered(Object... idsAndReleases) {
        Map<String, ReleaseSpec> map = new LinkedHashMap<>();
        for (int i = 0; i < idsAndReleases.length; i += 2) {
            map.put((String) idsAndReleases[i], (ReleaseSpec) idsAndReleases[i + 1]);
        }
        return map;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // what each instance ran, the distinct releases stored (first seen first), each instance's index
                Arguments.of(ordered(), List.of(), Map.of()),
                Arguments.of(ordered("i-a", OLD), List.of(OLD), Map.of("i-a", 0)),
                Arguments.of(ordered("i-a", OLD, "i-b", OLD, "i-c", OLD), List.of(OLD),
                        Map.of("i-a", 0, "i-b", 0, "i-c", 0)),
                Arguments.of(ordered("i-a", OTHER, "i-b", OLD, "i-c", OTHER), List.of(OTHER, OLD),
                        Map.of("i-a", 0, "i-b", 1, "i-c", 0)),
                // an instance whose release was not known keeps that
                Arguments.of(ordered("i-a", OLD, "i-b", null), java.util.Arrays.asList(OLD, null),
                        Map.of("i-a", 0, "i-b", 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void storesEachReleaseOnceAndEachInstanceAsItsIndex(Map<String, ReleaseSpec> byInstance,
            List<ReleaseSpec> releases, Map<String, Integer> instances) {
        ReleasesByInstance.Compact compact = ReleasesByInstance.compact(byInstance);
        assertEquals(releases, compact.releases());
        assertEquals(instances, compact.instances());
        Map<String, ReleaseSpec> expanded = ReleasesByInstance.expand(compact);
        assertEquals(byInstance, expanded);
        assertEquals(List.copyOf(byInstance.keySet()), List.copyOf(expanded.keySet()), "the instances' order");
    }

    @Test
    void aSagaStateRoundTripsThroughItsStoredJsonInTheCompactShape() {
        SagaState state = new SagaState();
        for (int i = 0; i < 1000; i++) {
            state.previous.put("i-" + i, i % 10 == 0 ? OTHER : OLD);
        }
        String json = JsonText.write(state);
        SagaState read = JsonText.read(json, SagaState.class);
        assertEquals(state.previous, read.previous);
        assertEquals(List.copyOf(state.previous.keySet()), List.copyOf(read.previous.keySet()));
        assertSame(read.previous.get("i-1"), read.previous.get("i-2"), "one release is one object in memory");
        assertTrue(json.length() < 20_000, "1,000 instances of two releases stored in " + json.length() + " chars");
        assertEquals(JsonText.write(read), json, "written again, the same document");
    }

    @Test
    void readsTheMapOfInstanceToReleaseStoredBeforeTheCompactShape() {
        String stored = "{\"deploymentId\":\"d-1\",\"previous\":{\"i-a\":" + JsonText.write(OLD) + ",\"i-b\":"
                + JsonText.write(OTHER) + ",\"i-c\":" + JsonText.write(OLD) + "}}";
        SagaState read = JsonText.read(stored, SagaState.class);
        assertEquals(ordered("i-a", OLD, "i-b", OTHER, "i-c", OLD), read.previous);
        assertEquals(List.of("i-a", "i-b", "i-c"), List.copyOf(read.previous.keySet()));
        assertTrue(JsonText.write(read).contains("\"previous\":{\"releases\":["), "written back compact");
    }

    @Test
    void aStoredIndexThatNamesNoReleaseIsABrokenDocumentNotAMissingRelease() {
        String stored = "{\"previous\":{\"releases\":[" + JsonText.write(OLD) + "],\"instances\":{\"i-a\":0,\"i-b\":1}}}";
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JsonText.read(stored,
                SagaState.class));
        assertTrue(e.getMessage().contains("instance i-b names release 1 of 1"), e.getMessage());
    }
}
