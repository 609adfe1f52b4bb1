package dev.stagecraft.inventory.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stagecraft.router.Backend;

class RouteChangeTest {
    private static final Backend A0 = new Backend("127.0.0.2:4100", 0);
    private static final Backend A100 = new Backend("127.0.0.2:4100", 100);
    private static final Backend A0_MOVED = new Backend("127.0.0.2:4101", 0);
    private static final Backend B0 = new Backend("127.0.0.3:4100", 0);

    static Stream<Arguments> cases() {
        return Stream.of(
                // table, change, whether the change leaves the table as it is
                Arguments.of(Map.of("a", A0), Map.of("a", A0), true),
                Arguments.of(Map.of("a", A0, "b", B0), Map.of("a", A0), true),
                Arguments.of(Map.of("a", A0), Map.of(), true),
                // another weight, another address (a restarted process on a new port), a new backend
                Arguments.of(Map.of("a", A0), Map.of("a", A100), false),
                Arguments.of(Map.of("a", A0), Map.of("a", A0_MOVED), false),
                Arguments.of(Map.of("a", A0), Map.of("a", A0, "b", B0), false),
                Arguments.of(Map.of(), Map.of("a", A0), false));
    }

    @ParameterizedTest(name = "{1} on {0}: {2}")
    @MethodSource("cases")
    void aChangeChangesNothingOnlyWhenEveryBackendIsThereAsGiven(Map<String, Backend> table,
            Map<String, Backend> change, boolean changesNothing) {
        assertEquals(changesNothing, RouteChange.changesNothing(table, change));
    }
}
