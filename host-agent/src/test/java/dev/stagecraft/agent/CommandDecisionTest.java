package dev.stagecraft.agent;

import static dev.stagecraft.agent.CommandDecision.Action.ALREADY_AS_ASKED;
import static dev.stagecraft.agent.CommandDecision.Action.ALREADY_GONE;
import static dev.stagecraft.agent.CommandDecision.Action.DUPLICATE;
import static dev.stagecraft.agent.CommandDecision.Action.INVALID;
import static dev.stagecraft.agent.CommandDecision.Action.REPLACE;
import static dev.stagecraft.agent.CommandDecision.Action.STALE;
import static dev.stagecraft.agent.CommandDecision.Action.START_NEW;
import static dev.stagecraft.agent.CommandDecision.Action.STOP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stagecraft.contracts.HostCommand;
import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.InstanceStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandDecisionTest {

    private static final Optional<InstanceHandle> NOTHING = Optional.empty();

    private static Optional<InstanceHandle> held(long generation, String state) {
        return Optional.of(TestSpecs.handle("i-1", generation, state, InstanceHandle.RUN));
    }

    private static HostCommand start(long generation) {
        return HostCommand.start("c", "h", TestSpecs.spec("i-1", generation));
    }

    private static HostCommand startOtherVersion(long generation) {
        InstanceSpec s = TestSpecs.spec("i-1", generation);
        return HostCommand.start("c", "h", new InstanceSpec("i-1", s.environment(),
                new dev.stagecraft.contracts.ReleaseSpec("shop", "2.0.0", s.release().artifact(), s.release().config()),
                generation));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // command, held, command id seen → action
                Arguments.of("start unknown", start(1), NOTHING, false, START_NEW),
                Arguments.of("start, same spec running", start(1), held(1, InstanceStatus.RUNNING), false, ALREADY_AS_ASKED),
                Arguments.of("start, same spec starting", start(1), held(1, InstanceStatus.STARTING), false, ALREADY_AS_ASKED),
                Arguments.of("start, same spec in backoff", start(1), held(1, InstanceStatus.CRASH_LOOP_BACKOFF), false,
                        ALREADY_AS_ASKED),
                Arguments.of("start, same spec failed: try again", start(1), held(1, InstanceStatus.FAILED), false, REPLACE),
                Arguments.of("start, newer generation", start(2), held(1, InstanceStatus.RUNNING), false, REPLACE),
                Arguments.of("start, other spec same generation", startOtherVersion(1), held(1, InstanceStatus.RUNNING),
                        false, REPLACE),
                Arguments.of("start, older generation", start(1), held(2, InstanceStatus.RUNNING), false, STALE),
                Arguments.of("start, repeated command id", start(2), held(1, InstanceStatus.RUNNING), true, DUPLICATE),
                Arguments.of("stop known", HostCommand.stop("c", "h", "i-1"), held(1, InstanceStatus.RUNNING), false, STOP),
                Arguments.of("stop known in backoff", HostCommand.stop("c", "h", "i-1"),
                        held(1, InstanceStatus.CRASH_LOOP_BACKOFF), false, STOP),
                Arguments.of("stop unknown", HostCommand.stop("c", "h", "i-1"), NOTHING, false, ALREADY_GONE),
                Arguments.of("stop, repeated command id", HostCommand.stop("c", "h", "i-1"), held(1, InstanceStatus.RUNNING),
                        true, DUPLICATE),
                Arguments.of("start without spec", new HostCommand("c", "h", HostCommand.START_INSTANCE, "i-1", null,
                        Instant.EPOCH), NOTHING, false, INVALID),
                Arguments.of("start, spec of another id", new HostCommand("c", "h", HostCommand.START_INSTANCE, "i-1",
                        TestSpecs.spec("i-2", 1), Instant.EPOCH), NOTHING, false, INVALID),
                Arguments.of("unknown type", new HostCommand("c", "h", "REBOOT", "i-1", null, Instant.EPOCH), NOTHING,
                        false, INVALID),
                Arguments.of("path in the id", HostCommand.stop("c", "h", "../../etc/passwd"), NOTHING, false, INVALID),
                Arguments.of("no id", HostCommand.stop("c", "h", null), NOTHING, false, INVALID));
    }

    @ParameterizedTest(name = "{0} → {4}")
    @MethodSource("table")
    void decides(String name, HostCommand command, Optional<InstanceHandle> held, boolean seen,
            CommandDecision.Action expected) {
        assertEquals(expected, CommandDecision.decide(command, held, seen));
    }
}
