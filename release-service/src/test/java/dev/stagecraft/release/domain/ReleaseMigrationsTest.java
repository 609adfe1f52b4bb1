package dev.stagecraft.release.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A migration counts as tried once a release at or below the requested version ran it successfully. */
class ReleaseMigrationsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "nothing ran yet                     | 1.2.0 | V1,V2 |                          | V1,V2",
            "the same release ran both           | 1.2.0 | V1,V2 | 1.2.0=V1;V2              | ",
            "an earlier release ran one          | 1.2.0 | V1,V2 | 1.1.0=V1                 | V2",
            "earlier releases ran them together  | 1.2.0 | V1,V2 | 1.0.0=V1;1.1.0=V2        | ",
            "a later release does not count      | 1.2.0 | V1,V2 | 2.0.0=V1;V2              | V1,V2",
            "its pre-release counts (sorts before) | 1.2.0 | V1  | 1.2.0-rc.1=V1            | ",
            "a release does not count for its pre-release | 1.2.0-rc.1 | V1 | 1.2.0=V1      | V1",
            "same precedence with build metadata | 1.2.0+b2 | V1  | 1.2.0+b1=V1              | ",
    })
    void findsTheUntriedMigrations(String name, String version, String declared, String succeeded, String expected) {
        List<ReleaseMigrations.Ran> ran = succeeded == null || succeeded.isEmpty() ? List.of()
                : Arrays.stream(succeeded.split(";(?=[0-9])")).map(s -> s.split("="))
                        .map(p -> new ReleaseMigrations.Ran(p[0], Arrays.asList(p[1].split(";")))).toList();
        List<String> expectedList = expected == null || expected.isEmpty() ? List.of() : Arrays.asList(expected.split(","));
        assertEquals(expectedList, ReleaseMigrations.untried(version, Arrays.asList(declared.split(",")), ran));
    }
}
