package dev.stagecraft.devinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerSourceTest {

    @ParameterizedTest(name = "address [{0}], STAGECRAFT_TESTCONTAINERS [{1}], docker {2} -> {3} (docker asked: {4})")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            127.0.0.1:9092 | -     | true  | EXTERNAL  | false
            127.0.0.1:9092 | true  | true  | EXTERNAL  | false
            db.local       | false | false | EXTERNAL  | false
            -              | -     | true  | CONTAINER | true
            -              | true  | true  | CONTAINER | true
            ''             | -     | true  | CONTAINER | true
            '  '           | -     | false | PROCESS   | true
            -              | -     | false | PROCESS   | true
            -              | false | true  | PROCESS   | false
            -              | FALSE | true  | PROCESS   | false
            -              | ' false ' | true | PROCESS | false
            """)
    void choosesWhereTheServerComesFrom(String address, String setting, boolean docker, ServerSource expected,
            boolean dockerAsked) {
        AtomicInteger asked = new AtomicInteger();
        ServerSource source = ServerSource.choose(address, setting, () -> {
            asked.incrementAndGet();
            return docker;
        });
        assertEquals(expected, source);
        assertEquals(dockerAsked ? 1 : 0, asked.get(), "times Docker was asked");
    }

    @Test
    void dockerIsAskedForOnlyWhereSomethingHintsAtIt(@TempDir Path home) throws Exception {
        boolean systemSocket = Files.exists(Path.of("/var/run/docker.sock"));
        assertEquals(systemSocket, Containers.dockerHinted(null, home.toString()));
        assertTrue(Containers.dockerHinted("tcp://127.0.0.1:2375", home.toString()));
        assertEquals(systemSocket, Containers.dockerHinted(" ", home.toString()));
        Files.createDirectories(home.resolve(".docker/run"));
        Files.createFile(home.resolve(".docker/run/docker.sock"));
        assertTrue(Containers.dockerHinted(null, home.toString()));
    }

    @Test
    void anExternalBrokerIsUsedAsItIsAndNotStoppedByClose() {
        try (TestBroker broker = TestServers.broker(java.util.Map.of(TestServers.ENV_KAFKA, " 10.0.0.1:9092 "))) {
            assertEquals("10.0.0.1:9092", broker.bootstrapServers());
            assertFalse(broker.toString().contains("process"));
        }
    }
}
