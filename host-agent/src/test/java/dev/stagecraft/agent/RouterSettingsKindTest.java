package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which kind routes a table: HAProxy up to the 4,095 servers its roundrobin holds, the router process beyond. */
class RouterSettingsKindTest {

    @ParameterizedTest(name = "{0} router, table of {1} → {2}")
    @CsvSource({
            "haproxy, 0, haproxy",
            "haproxy, 10, haproxy",
            "haproxy, 4095, haproxy",
            "haproxy, 4096, java",
            "haproxy, 10000, java",
            "java, 0, java",
            "java, 10000, java",
            // never back: a fleet that once outgrew HAProxy stays on the router process when it shrinks
            "java, 10, java",
    })
    void kindFor(String current, int backends, String expected) {
        assertEquals(expected, RouterSettings.kindFor(current, backends));
    }
}
