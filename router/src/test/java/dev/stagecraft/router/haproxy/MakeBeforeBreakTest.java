package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.router.RouterException;


import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MakeBeforeBreakTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            blue-a=0 blue-b=0 green-a=100 green-b=100     | green-a green-b blue-a blue-b
            a=0 b=100                                     | b a
            a=100 b=0                                     | a b
            stable=75 canary=25                           | stable canary
            stable=50 canary=50                           | canary stable
            x=0 y=0                                       | x y
            only=100                                      | only
            c=5 b=0 a=95 d=100                            | d a c b
            """)
    void raisesBeforeItLowers(String changes, String expectedOrder) {
        Map<String, Backend> backends = new LinkedHashMap<>();
        int port = 10_000;
        for (String change : changes.trim().split("\\s+")) {
            String[] idAndWeight = change.split("=");
            backends.put(idAndWeight[0], new Backend("127.0.0.1:" + port++, Integer.parseInt(idAndWeight[1])));
        }
        List<String> order = MakeBeforeBreak.order(backends).stream().map(Map.Entry::getKey).toList();
        assertEquals(Arrays.asList(expectedOrder.trim().split("\\s+")), order);
    }
}
