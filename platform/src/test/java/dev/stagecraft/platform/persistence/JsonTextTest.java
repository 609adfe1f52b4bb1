package dev.stagecraft.platform.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class JsonTextTest {
    record Report(String host, String detail, Instant at) {
    }

    @Test
    void readsUtf8BytesAsTheTextWouldBeRead() {
        Report report = new Report("host-1", "exit 1 — “simulated” ☃", Instant.parse("2026-12-07T16:00:00Z"));
        byte[] bytes = JsonText.write(report).getBytes(StandardCharsets.UTF_8);
        assertEquals(report, JsonText.read(bytes, Report.class));
        assertEquals(JsonText.read(new String(bytes, StandardCharsets.UTF_8), Report.class), JsonText.read(bytes, Report.class));
    }

    @Test
    void unreadableBytesAreNamedByTheirLengthNotTheirContent() {
        byte[] bytes = "{\"host\": \"secret-value\"".getBytes(StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JsonText.read(bytes, Report.class));
        assertTrue(e.getMessage().startsWith("JSON (" + bytes.length + " bytes) cannot be read as Report"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
    }
}
