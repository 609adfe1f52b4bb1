package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void countsFieldsFromTheLastParenthesisSoAnyCommandNameParses() {
        // A command name may hold spaces and parentheses: "(a) b) (".
        String stat = "4242 ((a) b) () S 1 4240 4240 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0";
        assertEquals(new ProcStat('S', 4240, 987654), ProcStat.parse(stat));
    }

    @Test
    void readsThisProcess() {
        Optional<ProcStat> self = ProcStat.of(ProcessHandle.current().pid());
        assertTrue(self.isPresent());
        assertTrue(self.get().startTicks() > 0);
        assertEquals(self, ProcStat.of(ProcessHandle.current().pid()), "the start time of a process never changes");
    }

    @Test
    void noProcessReadsAsEmpty() {
        assertEquals(Optional.empty(), ProcStat.of(0));
        assertEquals(Optional.empty(), ProcStat.of(Integer.MAX_VALUE));
    }
}
