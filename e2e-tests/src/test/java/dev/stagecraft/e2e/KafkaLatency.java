package dev.stagecraft.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's own end-to-end latency on a broker, the yardstick for a saga hop: one 300-byte record at a time, produced
 * with acks=all and no linger, timed until a consumer of its partition has it. The first 100 records warm the
 * clients up and are not counted.
 */
final class KafkaLatency {
    static final int WARM_UP = 100;

    /** {@code micros}: each counted record's latency, in µs. */
    record Result(List<Long> micros) {
        long p50Micros() {
            return SagaHops.percentile(micros, 50);
        }

        long p99Micros() {
            return SagaHops.percentile(micros, 99);
        }

        /** p50 in whole milliseconds, at least 1: the divisor of a hop's ratio. */
        long p50Millis() {
            return Math.max(1, p50Micros() / 1000);
        }
    }

    private KafkaLatency() {
    }

    /** {@code records} records after the warm-up, on a topic of its own. */
    static Result measure(String bootstrap, int records) throws Exception {
        String topic = "bench.latency." + UUID.randomUUID();
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<Long> micros = new ArrayList<>();
        String padding = "x".repeat(280);
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
                var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            producer.send(new ProducerRecord<>(topic, "warm", "up")).get(); // creates the topic
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            for (int i = 0; i < WARM_UP + records; i++) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, "k", sent + padding)); // partition 0, the one read
                boolean seen = false;
                long giveUp = sent + Duration.ofSeconds(30).toNanos();
                while (!seen) {
                    if (System.nanoTime() > giveUp) {
                        throw new AssertionError("record " + i + " not consumed within 30 s");
                    }
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        long at = Long.parseLong(r.value().substring(0, r.value().length() - padding.length()));
                        if (at == sent) {
                            seen = true;
                        }
                    }
                }
                if (i >= WARM_UP) {
                    micros.add((System.nanoTime() - sent) / 1000);
                }
            }
        }
        return new Result(micros);
    }
}
