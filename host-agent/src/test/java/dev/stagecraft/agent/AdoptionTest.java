package dev.stagecraft.agent;

import static dev.stagecraft.agent.Adoption.Decision.ADOPT;
import static dev.stagecraft.agent.Adoption.Decision.ADOPT_UNANSWERING;
import static dev.stagecraft.agent.Adoption.Decision.FINISH_STOP;
import static dev.stagecraft.agent.Adoption.Decision.KEEP_RECORD;
import static dev.stagecraft.agent.Adoption.Decision.RESTART_DEAD;
import static dev.stagecraft.agent.Adoption.Decision.RESTART_RECYCLED_PID;
import static dev.stagecraft.contracts.InstanceStatus.CRASH_LOOP_BACKOFF;
import static dev.stagecraft.contracts.InstanceStatus.FAILED;
import static dev.stagecraft.contracts.InstanceStatus.RUNNING;
import static dev.stagecraft.contracts.InstanceStatus.STARTING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdoptionTest {

    /** The recorded process has start time 777 (see {@link TestSpecs#handle}). */
    private static final Optional<ProcStat> SAME = Optional.of(new ProcStat('S', 4242, 777));
    private static final Optional<ProcStat> OTHER = Optional.of(new ProcStat('S', 4242, 778));
    private static final Optional<ProcStat> ZOMBIE = Optional.of(new ProcStat('Z', 4242, 777));
    private static final Optional<ProcStat> NONE = Optional.empty();

    static Stream<Arguments> table() {
        return Stream.of(
                // recorded state, desired, observed process, port answers → decision
                Arguments.of(RUNNING, "RUN", SAME, true, ADOPT),
                Arguments.of(STARTING, "RUN", SAME, true, ADOPT),
                Arguments.of(RUNNING, "RUN", SAME, false, ADOPT_UNANSWERING),
                Arguments.of(STARTING, "RUN", SAME, false, ADOPT_UNANSWERING),
                Arguments.of(RUNNING, "RUN", NONE, false, RESTART_DEAD),
                Arguments.of(RUNNING, "RUN", ZOMBIE, false, RESTART_DEAD),
                // a recycled pid is never ours, even if something answers on the port
                Arguments.of(RUNNING, "RUN", OTHER, true, RESTART_RECYCLED_PID),
                Arguments.of(RUNNING, "RUN", OTHER, false, RESTART_RECYCLED_PID),
                Arguments.of(CRASH_LOOP_BACKOFF, "RUN", NONE, false, KEEP_RECORD),
                Arguments.of(FAILED, "RUN", NONE, false, KEEP_RECORD),
                Arguments.of(RUNNING, "STOP", SAME, true, FINISH_STOP),
                Arguments.of(RUNNING, "STOP", OTHER, false, FINISH_STOP),
                Arguments.of(CRASH_LOOP_BACKOFF, "STOP", NONE, false, FINISH_STOP));
    }

    @ParameterizedTest(name = "{0}/{1}, process {2}, answers {3} → {4}")
    @MethodSource("table")
    void decides(String state, String desired, Optional<ProcStat> observed, boolean answers, Adoption.Decision expected) {
        assertEquals(expected, Adoption.decide(TestSpecs.handle("i-1", 1, state, desired), observed, answers));
    }
}
