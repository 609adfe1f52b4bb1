package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A burst of malformed commands, generated from a fixed seed, on one partition, then one valid command
 * behind them: every malformed one must be answered with a rejection (none with an acceptance, none
 * with an internal error), the valid one must be accepted (the partition kept flowing), nothing may be
 * dead-lettered, and the service must stay ready. Records are written as bytes, so that keys, values
 * and headers can be anything at all, not only what a String serializer would produce.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class CommandFuzzTest {
    static final long SEED = 2026_11_28L;
    static final int MALFORMED = 240;
    static final int PARTITION = 0;
    static final String RUN = "fz" + Long.toHexString(System.nanoTime());

    /** One record to send, and the strings that identify it (each generated for it alone). */
    record Fuzz(String how, byte[] key, byte[] value, List<Header> headers, List<String> names) {
    }

    private Random random;
    private MalformedBodies bodies;
    private String awaiting;

    @Test
    void everyMalformedCommandIsRejectedAndTheValidOneBehindThemIsAccepted() throws Exception {
        Api.release("cmd-fuzz", "1.0.0", "[]");
        Api.environment("cmd-fuzz-gated", "{\"order\":67,\"requiresApproval\":true}");
        awaiting = Api.deploy("fuzz-requester", "cmd-fuzz", "1.0.0", "cmd-fuzz-gated", "AWAITING_APPROVAL");
        random = new Random(SEED);
        bodies = new MalformedBodies(random);

        List<Fuzz> burst = new ArrayList<>();
        for (int i = 0; i < MALFORMED; i++) {
            burst.add(malformed(i));
        }
        burst.add(valid(MALFORMED));
        Map<String, Integer> byName = new HashMap<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Fuzz f : burst) {
                sends.add(producer.send(new ProducerRecord<>(Topics.COMMANDS, PARTITION, f.key(), f.value(), f.headers())));
            }
            producer.flush();
        }
        for (int i = 0; i < burst.size(); i++) {
            byName.put(Topics.COMMANDS + "-" + PARTITION + "-" + sends.get(i).get().offset(), i);
            for (String name : burst.get(i).names()) {
                byName.put(name, i);
            }
        }

        Map<Integer, List<JsonNode>> answers = new LinkedHashMap<>();
        boolean allAnswered = Commands.follow(Topics.DEPLOYMENTS, record -> {
            if (Commands.isOutcome(record)) {
                Integer index = answered(record, byName);
                if (index != null) {
                    answers.computeIfAbsent(index, k -> new ArrayList<>()).add(Commands.json(record));
                }
            }
            return answers.size() == burst.size();
        }, Duration.ofSeconds(120));

        int rejected = 0;
        int acceptedWrongly = 0;
        int internalErrors = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < MALFORMED; i++) {
            List<JsonNode> got = answers.getOrDefault(i, List.of());
            boolean rejection = got.stream().anyMatch(o -> !o.path("accepted").asBoolean());
            rejected += rejection ? 1 : 0;
            for (JsonNode outcome : got) {
                if (outcome.path("accepted").asBoolean()) {
                    acceptedWrongly++;
                    wrong.add("accepted: " + burst.get(i).how() + " -> " + outcome);
                } else if (outcome.path("detail").asText().startsWith("internal error")) {
                    internalErrors++;
                    wrong.add("internal error: " + burst.get(i).how() + " -> " + outcome);
                }
            }
            if (got.isEmpty()) {
                wrong.add("unanswered: #" + i + " " + burst.get(i).how());
            }
        }
        int unanswered = MALFORMED - (int) answers.keySet().stream().filter(i -> i < MALFORMED).count();
        System.out.printf("fuzz: %d malformed commands, %d rejected, %d unanswered, %d 5xx%n", MALFORMED, rejected,
                unanswered, internalErrors);
        System.out.printf("fuzz: %d accepted wrongly; the valid command behind them: %s%n", acceptedWrongly,
                answers.getOrDefault(MALFORMED, List.of()));
        wrong.forEach(w -> System.out.println("  " + (w.length() > 400 ? w.substring(0, 400) + "…" : w)));

        assertEquals(List.of(), wrong);
        assertTrue(allAnswered);
        assertEquals(MALFORMED, rejected);
        assertEquals(0, unanswered);
        assertEquals(0, internalErrors);
        List<JsonNode> validAnswer = answers.get(MALFORMED);
        assertTrue(validAnswer != null && validAnswer.get(0).path("accepted").asBoolean(),
                "the valid command behind the burst: " + validAnswer);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        long deadLettered = Api.kafka().readAll(Topics.deadLetter("release-service"), Duration.ofSeconds(2)).stream()
                .filter(r -> Topics.COMMANDS.equals(CloudEventsTestClient.header(r, "dead-letter-topic"))).count();
        assertEquals(0, deadLettered, "answered commands are not dead-lettered");
    }

    /** The burst index an outcome answers: by its command id, its idempotency key, or its Kafka key. */
    private static Integer answered(ConsumerRecord<String, String> record, Map<String, Integer> byName) {
        JsonNode outcome = Commands.json(record);
        for (String name : new String[] { outcome.path("commandId").asText(null),
                outcome.path("idempotencyKey").asText(null), record.key() }) {
            if (name != null && byName.containsKey(name)) {
                return byName.get(name);
            }
        }
        return null;
    }

    // --- generating the burst ---------------------------------------------------------------------------

    private Fuzz valid(int i) {
        Map<String, byte[]> headers = headers(EventTypes.COMMAND_CREATE_RELEASE, i);
        return fuzz("valid", i, headers, Commands.releaseData("cmd-fuzz-ok", "1.0.0").strip().getBytes(UTF8));
    }

    private Fuzz malformed(int i) {
        String type = CommandFuzzing.TYPES.get(random.nextInt(CommandFuzzing.TYPES.size()));
        Map<String, byte[]> headers = headers(type, i);
        int roll = random.nextInt(100);
        if (roll < 30) {
            String how = CommandFuzzing.breakEnvelope(random, headers, RUN + "-id-" + i);
            return fuzz("envelope: " + how, i, headers, validData(type, i));
        }
        if (roll < 55) {
            String how = CommandFuzzing.breakToken(random, headers, type, TestTokens.command("fuzz-requester",
                    "approver"));
            return fuzz("token: " + how, i, headers, validData(type, i));
        }
        MalformedBodies.Case data = bodies.next(switch (type) {
            case EventTypes.COMMAND_CREATE_RELEASE -> MalformedBodies.release("fzr-" + i);
            case EventTypes.COMMAND_REQUEST_DEPLOYMENT -> MalformedBodies.deployment("cmd-fuzz", "staging");
            default -> MalformedBodies.approveCommand(awaiting);
        });
        return fuzz("data of " + type + ": " + data.how(), i, headers, data.body());
    }

    /** Data the command would be accepted with: only the envelope or the token is wrong. */
    private byte[] validData(String type, int i) {
        String data = switch (type) {
            case EventTypes.COMMAND_CREATE_RELEASE -> Commands.releaseData("fze-" + i, "1.0.0");
            case EventTypes.COMMAND_REQUEST_DEPLOYMENT -> Api.deployBody("cmd-fuzz", "1.0.0", "staging");
            default -> "{\"deploymentId\":\"" + awaiting + "\",\"comment\":\"fine\"}";
        };
        return data.strip().getBytes(UTF8);
    }

    private Map<String, byte[]> headers(String type, int i) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        Commands.headers(type, RUN + "-id-" + i, RUN + "-key-" + i, TestTokens.command("fuzz-ci", "deployer", "approver")).forEach((k, v) -> headers.put(k, v.getBytes(UTF8)));
        return headers;
    }

    private Fuzz fuzz(String how, int i, Map<String, byte[]> headers, byte[] value) {
        List<String> names = new ArrayList<>();
        byte[] key = (RUN + "-rk-" + i).getBytes(UTF8);
        int keyRoll = random.nextInt(100);
        if (keyRoll < 10) {
            key = null;
        } else if (keyRoll < 15) {
            key = ("k".repeat(300) + i).getBytes(UTF8);
        } else if (keyRoll < 20) {
            key = ("line\nbreak\u0000" + i).getBytes(UTF8);
        } else {
            names.add(RUN + "-rk-" + i);
        }
        for (String header : new String[] { "ce_id", "ce_idempotencykey" }) {
            byte[] v = headers.get(header);
            String text = v == null ? null : new String(v, UTF8);
            if (text != null && text.startsWith(RUN)) {
                names.add(text);
            }
        }
        List<Header> recordHeaders = new ArrayList<>();
        // "ce_type#2": a second header of the same name, as Kafka allows
        headers.forEach((k, v) -> recordHeaders.add(new RecordHeader(k.replaceAll("#.*", ""), v)));
        return new Fuzz(how, key, value, recordHeaders, names);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
