package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which command line is the PostgreSQL server a test may freeze: its postmaster, on the database's port. */
class InfraProcessesTest {
    @ParameterizedTest(name = "{0} on port {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "/tmp/embedded-pg/PG-3f5/bin/postgres -D /tmp/pg/data -p 36301 -F -c fsync=off | 36301 | true",
            "/tmp/embedded-pg/PG-3f5/bin/postgres -D /tmp/pg/data -p 36301 -F -c fsync=off | 39367 | false",
            "/tmp/embedded-pg/PG-3f5/bin/postgres -D /tmp/pg/data -p | 36301 | false",
            "/tmp/embedded-pg/PG-3f5/bin/pg_ctl -D /tmp/pg/data -o -p 36301 start | 36301 | false",
            "postgres: postgres rollout 127.0.0.1(51234) idle | 36301 | false",
            "'' | 36301 | false" })
    void postmasterOfThePort(String commandLine, int port, boolean expected) {
        assertEquals(expected, InfraProcesses.isPostmaster(commandLine, port));
    }
}
