package dev.stagecraft.release.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stagecraft.contracts.CommandOutcome;
import dev.stagecraft.contracts.EventTypes;

/** Reading a command's headers never throws, and names every header that is missing or wrong. */
class CommandEnvelopesTest {
    static final String TYPE = EventTypes.COMMAND_CREATE_RELEASE;

    static Map<String, String> valid() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce_specversion", "1.0");
        h.put("ce_id", "cmd-1");
        h.put("ce_source", "/ci/test");
        h.put("ce_type", TYPE);
        h.put("ce_idempotencykey", "key-1");
        h.put("authorization", "Bearer abc");
        return h;
    }

    static Map<String, String> with(String header, String value) {
        Map<String, String> h = valid();
        if (value == null) {
            h.remove(header);
        } else {
            h.put(header, value);
        }
        return h;
    }

    static ConsumerRecord<String, String> record(Map<String, String> headers) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("stagecraft.commands", 2, 41, "k", "{}");
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    static List<String> fields(CommandEnvelope envelope) {
        return envelope.problems().stream().map(CommandOutcome.Error::field).toList();
    }

    @Test
    void aWellFormedCommandHasNoProblems() {
        CommandEnvelope envelope = CommandEnvelopes.read(record(valid()));
        assertTrue(envelope.isReadable(), envelope.problems().toString());
        assertEquals("cmd-1", envelope.commandId());
        assertEquals("key-1", envelope.idempotencyKey());
        assertEquals(TYPE, envelope.type());
        assertEquals("Bearer abc", envelope.authorization());
        assertEquals("stagecraft.commands-2-41", envelope.position());
        assertEquals("{}", envelope.data());
    }

    @Test
    void withoutAnIdempotencyKeyTheCommandIdIsTheKey() {
        assertEquals("cmd-1", CommandEnvelopes.read(record(with("ce_idempotencykey", null))).idempotencyKey());
    }

    @Test
    void theAuthorizationHeaderIsFoundInAnyCase() {
        Map<String, String> h = with("authorization", null);
        h.put("Authorization", "Bearer xyz");
        assertEquals("Bearer xyz", CommandEnvelopes.read(record(h)).authorization());
    }

    static Stream<Arguments> brokenHeaders() {
        String huge = "x".repeat(201);
        return Stream.of(
                Arguments.of("no specversion", with("ce_specversion", null), List.of("ce_specversion")),
                Arguments.of("specversion 0.3", with("ce_specversion", "0.3"), List.of("ce_specversion")),
                Arguments.of("no id", with("ce_id", null), List.of("ce_id")),
                Arguments.of("id too long", with("ce_id", huge), List.of("ce_id")),
                Arguments.of("id with a line break", with("ce_id", "a\nb"), List.of("ce_id")),
                Arguments.of("blank id", with("ce_id", "  "), List.of("ce_id")),
                Arguments.of("no source", with("ce_source", null), List.of("ce_source")),
                Arguments.of("no type", with("ce_type", null), List.of("ce_type")),
                Arguments.of("unknown type", with("ce_type", "dev.stagecraft.command.explode"), List.of("ce_type")),
                Arguments.of("a lifecycle type", with("ce_type", EventTypes.DEPLOYMENT_SUCCEEDED), List.of("ce_type")),
                Arguments.of("key too long", with("ce_idempotencykey", huge), List.of("ce_idempotencykey")),
                Arguments.of("key with NUL", with("ce_idempotencykey", "k\u0000"), List.of("ce_idempotencykey")),
                Arguments.of("empty key", with("ce_idempotencykey", ""), List.of("ce_idempotencykey")),
                Arguments.of("nothing at all", Map.of(), List.of("ce_specversion", "ce_id", "ce_source", "ce_type")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenHeaders")
    void everyBrokenHeaderIsNamed(String name, Map<String, String> headers, List<String> expected) {
        CommandEnvelope envelope = CommandEnvelopes.read(record(headers));
        assertFalse(envelope.isReadable());
        assertEquals(expected, fields(envelope));
    }

    @Test
    void bytesThatAreNotUtf8AndNullValuesAreProblemsNotExceptions() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("stagecraft.commands", 0, 7, null, null);
        record.headers().add("ce_id", new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF });
        record.headers().add("ce_type", null);
        CommandEnvelope envelope = CommandEnvelopes.read(record);
        assertEquals(List.of("ce_specversion", "ce_source", "ce_type"), fields(envelope));
        assertNull(envelope.data());
        assertNull(envelope.recordKey());
    }

    @Test
    void quotedValuesAreShortAndPrintable() {
        CommandEnvelope envelope = CommandEnvelopes.read(record(with("ce_type", "evil\n" + "y".repeat(5000))));
        String message = envelope.problems().get(0).message();
        assertTrue(message.length() < 300, message);
        assertFalse(message.contains("\n"));
    }

    @Test
    void usableIds() {
        assertTrue(CommandEnvelopes.isUsableId("ci-42"));
        assertTrue(CommandEnvelopes.isUsableId("x".repeat(200)));
        assertFalse(CommandEnvelopes.isUsableId("x".repeat(201)));
        assertFalse(CommandEnvelopes.isUsableId(null));
        assertFalse(CommandEnvelopes.isUsableId(""));
        assertFalse(CommandEnvelopes.isUsableId("tab\there"));
    }
}
