import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A CI step that releases and deploys over Kafka, with nothing but kafka-clients (and slf4j-api) on the
 * class path: it publishes command.create-release, then command.request-deployment, each with an
 * idempotency key and a bearer token, and follows stagecraft.deployments until the deployment ends.
 * Exit code 0 only if it SUCCEEDED; 1 if a command was rejected or the deployment ended otherwise;
 * 2 for a usage error; 3 if nothing ended within the time limit.
 *
 * <pre>
 * STAGECRAFT_TOKEN_COMMAND='deploy/local/token ci deployer:staging --ttl 5m' KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 \
 *   java -cp kafka-clients.jar:slf4j-api.jar docs/ci/StagecraftCi.java SERVICE VERSION ARTIFACT_URI SHA256 ENVIRONMENT
 * </pre>
 *
 * The idempotency keys are made from STAGECRAFT_CI_RUN (your CI system's build id; a random one if unset):
 * running the same build again sends the same keys, so nothing is created twice and the answers of the
 * first run come back. Single-file source launch (java 11+): no build, no dependencies beyond the jars.
 *
 * <p>Command tokens act once and live at most 10 minutes, so every command gets a fresh token: the output of
 * STAGECRAFT_TOKEN_COMMAND (a shell command, e.g. your identity provider's CLI), run before each command.
 */
public class StagecraftCi {
    static final String COMMANDS = "stagecraft.commands";
    static final String DEPLOYMENTS = "stagecraft.deployments";
    static final String P = "dev.stagecraft.";
    static final String CREATE_RELEASE = P + "command.create-release";
    static final String REQUEST_DEPLOYMENT = P + "command.request-deployment";
    static final String ACCEPTED = P + "command.accepted";
    static final String REJECTED = P + "command.rejected";
    static final String SUCCEEDED = P + "deployment.succeeded";
    /** Every way a deployment ends; only the first is a success. */
    static final Set<String> TERMINAL = Set.of(SUCCEEDED, P + "deployment.rolled-back", P + "deployment.failed",
            P + "deployment.aborted", P + "deployment.rejected", P + "deployment.withdrawn");

    final KafkaConsumer<String, String> consumer;
    final KafkaProducer<String, String> producer;
    final Supplier<String> tokens;
    final String source;
    final long deadline;

    StagecraftCi(String bootstrap, Supplier<String> tokens, Duration timeout) throws Exception {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // no group: nothing to commit or clean up
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.tokens = tokens;
        this.source = "/ci/" + InetAddress.getLocalHost().getHostName();
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java -cp kafka-clients.jar:slf4j-api.jar StagecraftCi.java SERVICE VERSION"
                    + " ARTIFACT_URI SHA256 ENVIRONMENT [MAX_UNAVAILABLE]\n  environment: STAGECRAFT_TOKEN_COMMAND (required),"
                    + " KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:9092), STAGECRAFT_CI_RUN (the build id), STAGECRAFT_CI_TIMEOUT"
                    + " (minutes, 30)");
            System.exit(2);
        }
        String tokenCommand = System.getenv("STAGECRAFT_TOKEN_COMMAND");
        if (tokenCommand == null || tokenCommand.isBlank()) {
            System.err.println("STAGECRAFT_TOKEN_COMMAND is not set: a command that prints a fresh short-lived token"
                    + " (each command needs its own), e.g.\n  export STAGECRAFT_TOKEN_COMMAND='deploy/local/token ci"
                    + " deployer:staging --ttl 5m'");
            System.exit(2);
        }
        String service = args[0], version = args[1], uri = args[2], sha256 = args[3], environment = args[4];
        String maxUnavailable = args.length > 5 ? args[5] : "1";
        String run = System.getenv().getOrDefault("STAGECRAFT_CI_RUN", UUID.randomUUID().toString());
        Duration timeout = Duration.ofMinutes(Long.parseLong(System.getenv().getOrDefault("STAGECRAFT_CI_TIMEOUT", "30")));
        StagecraftCi ci = new StagecraftCi(System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                () -> mintToken(tokenCommand), timeout);
        System.exit(ci.releaseAndDeploy(run, service, version, uri, sha256, environment, maxUnavailable));
    }

    int releaseAndDeploy(String run, String service, String version, String uri, String sha256, String environment,
            String maxUnavailable) {
        followFromNow();
        String releaseKey = run + "/release/" + service + "/" + version;
        send(CREATE_RELEASE, releaseKey, "{\"service\":" + str(service) + ",\"version\":" + str(version)
                + ",\"artifact\":{\"uri\":" + str(uri) + ",\"sha256\":" + str(sha256) + "}}");
        Map<String, Object> release = object(valueOf(outcomeOf(releaseKey)));
        if (release.isEmpty()) {
            return timedOut("the answer to create-release");
        }
        if (!accepted(release) && !alreadyExists(release)) {
            return rejected("create-release", release);
        }
        System.out.println(accepted(release) ? "release: " + release.get("detail")
                : "release: " + service + " " + version + " exists already; deploying it");

        String deployKey = run + "/deploy/" + service + "/" + version + "/" + environment;
        send(REQUEST_DEPLOYMENT, deployKey, "{\"service\":" + str(service) + ",\"version\":" + str(version)
                + ",\"environment\":" + str(environment) + ",\"strategy\":{\"type\":\"rolling\",\"maxUnavailable\":"
                + str(maxUnavailable) + "}}");
        ConsumerRecord<String, String> answer = outcomeOf(deployKey);
        Map<String, Object> deployment = object(valueOf(answer));
        if (deployment.isEmpty()) {
            return timedOut("the answer to request-deployment");
        }
        if (!accepted(deployment)) {
            return rejected("request-deployment", deployment);
        }
        String id = (String) deployment.get("deploymentId");
        System.out.println("deployment: " + deployment.get("detail"));
        lookBack(answer, Instant.parse((String) deployment.get("at")));
        return follow(id);
    }

    /**
     * The answer is written after the deployment's first fact, and a repeated command (this build run
     * again) is answered with the first answer, long after all of that deployment's facts: read its
     * partition again from a little before the answer was first given.
     */
    void lookBack(ConsumerRecord<String, String> answer, Instant answeredAt) {
        TopicPartition partition = new TopicPartition(answer.topic(), answer.partition());
        OffsetAndTimestamp from = consumer.offsetsForTimes(Map.of(partition, answeredAt.minusSeconds(60).toEpochMilli()))
                .get(partition);
        if (from != null && from.offset() < consumer.position(partition)) {
            consumer.seek(partition, from.offset());
        }
    }

    /** Reads every partition from its current end: the answers and facts to come are all newer. */
    void followFromNow() {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(DEPLOYMENTS).forEach(p -> partitions.add(new TopicPartition(DEPLOYMENTS, p.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // seek is lazy: fix the positions before anything is sent
    }

    /** The token STAGECRAFT_TOKEN_COMMAND prints: a fresh one for every command, as release-service requires. */
    static String mintToken(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String token = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .strip();
            if (process.waitFor() != 0 || token.isEmpty()) {
                throw new IllegalStateException("STAGECRAFT_TOKEN_COMMAND failed (exit " + process.exitValue() + ")");
            }
            return token;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run STAGECRAFT_TOKEN_COMMAND: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while minting a token", e);
        }
    }

    void send(String type, String idempotencyKey, String data) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", UUID.randomUUID().toString());
        header(headers, "ce_source", source);
        header(headers, "ce_type", type);
        header(headers, "ce_time", Instant.now().toString());
        header(headers, "content-type", "application/json");
        header(headers, "ce_idempotencykey", idempotencyKey);
        header(headers, "authorization", "Bearer " + tokens.get());
        try {
            // keyed by the idempotency key: a repeated command lands behind the first, on the same partition
            producer.send(new ProducerRecord<>(COMMANDS, null, idempotencyKey, data, headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + type + " to " + COMMANDS + ": " + e.getMessage(), e);
        }
    }

    /** The command.accepted or command.rejected answering {@code idempotencyKey}; null when time runs out. */
    ConsumerRecord<String, String> outcomeOf(String idempotencyKey) {
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                String type = header(record, "ce_type");
                if ((ACCEPTED.equals(type) || REJECTED.equals(type))
                        && idempotencyKey.equals(object(record.value()).get("idempotencyKey"))) {
                    return record;
                }
            }
        }
        return null;
    }

    static String valueOf(ConsumerRecord<String, String> record) {
        return record == null ? null : record.value();
    }

    /** Prints the deployment's facts, each once, until one ends it. */
    int follow(String deploymentId) {
        Set<Long> printed = new HashSet<>(); // looking back reads some records twice; all are on one partition
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                if (deploymentId.equals(record.key()) && printed.add(record.offset())) {
                    Integer end = fact(record);
                    if (end != null) {
                        return end;
                    }
                }
            }
        }
        return timedOut("the end of deployment " + deploymentId);
    }

    /** Prints one lifecycle fact; the exit code if it ends the deployment, else null. */
    static Integer fact(ConsumerRecord<String, String> record) {
        String type = header(record, "ce_type");
        if (type == null || !type.startsWith(P + "deployment.")) {
            return null; // a command answer keyed by this deployment, e.g. an approval
        }
        Map<String, Object> event = object(record.value());
        Object message = event.containsKey("message") ? event.get("message") : "requested by " + event.get("requestedBy");
        System.out.printf("%-28s %-18s %s%n", type.substring(P.length()),
                event.getOrDefault("status", "REQUESTED"), message);
        if (!TERMINAL.contains(type)) {
            return null;
        }
        return SUCCEEDED.equals(type) ? 0 : 1;
    }

    static boolean accepted(Map<String, Object> outcome) {
        return Boolean.TRUE.equals(outcome.get("accepted"));
    }

    /** Releases are immutable: a later build of the same version deploys what exists (409 "already exists"). */
    static boolean alreadyExists(Map<String, Object> outcome) {
        List<?> errors = outcome.get("errors") instanceof List ? (List<?>) outcome.get("errors") : List.of();
        if (errors.size() != 1 || !(errors.get(0) instanceof Map)) {
            return false;
        }
        Map<?, ?> error = (Map<?, ?>) errors.get(0);
        return "version".equals(error.get("field")) && String.valueOf(error.get("message")).startsWith("already exists");
    }

    static int rejected(String command, Map<String, Object> outcome) {
        System.err.println(command + " rejected: " + outcome.get("detail"));
        if (outcome.get("errors") instanceof List) {
            for (Object e : (List<?>) outcome.get("errors")) {
                Map<?, ?> error = (Map<?, ?>) e;
                System.err.println("  " + error.get("field") + ": " + error.get("message"));
            }
        }
        return 1;
    }

    static int timedOut(String what) {
        System.err.println("no " + what + " in time (STAGECRAFT_CI_TIMEOUT); is release-service running?");
        return 3;
    }

    static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A JSON string literal. */
    static String str(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }

    // --- just enough of a JSON reader for the answers (objects, arrays, strings, numbers, literals) -------

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String json) {
        Object value = new Json(json).value();
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    static final class Json {
        final String s;
        int i;

        Json(String s) {
            this.s = s == null ? "null" : s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                i++;
                skip();
                if (s.charAt(i) == '}') {
                    i++;
                    return map;
                }
                do {
                    skip();
                    String key = string();
                    skip();
                    expect(':');
                    map.put(key, value());
                    skip();
                } while (s.charAt(i++) == ',');
                return map;
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                i++;
                skip();
                if (s.charAt(i) == ']') {
                    i++;
                    return list;
                }
                do {
                    list.add(value());
                    skip();
                } while (s.charAt(i++) == ',');
                return list;
            }
            if (c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String word = s.substring(start, i);
            if (word.equals("true") || word.equals("false")) {
                return Boolean.valueOf(word);
            }
            return word.equals("null") ? null : Double.valueOf(word);
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            for (char c = s.charAt(i++); c != '"'; c = s.charAt(i++)) {
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                if (e == 'u') {
                    out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                } else {
                    int escape = "nrtbf".indexOf(e);
                    out.append(escape >= 0 ? "\n\r\t\b\f".charAt(escape) : e); // else \" \\ \/
                }
            }
            return out.toString();
        }

        void expect(char c) {
            if (s.charAt(i++) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (i - 1) + " in " + s);
            }
        }

        void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
