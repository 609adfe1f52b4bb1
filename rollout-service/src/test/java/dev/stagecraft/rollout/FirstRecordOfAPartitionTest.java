package dev.stagecraft.rollout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceRef;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.platform.messaging.CatchUp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The first record of a partition after the consumer was given it is not held back by the connector's poll
 * (docs/performance.md, "The 1 s hops"): before it reaches the channel, the throttled commit strategy looks up the
 * partition's committed offset on the polling thread, behind the poll under way. With SmallRye's default poll-timeout
 * of 1 s, a saga whose deployment was the first on its partition since the service started waited a second on each of
 * its first hops. A profile of its own, so that the service starts afresh and its partitions are new to it. Whether a
 * record waits depends on whether the look-up or the next poll reaches the polling thread first (the poll, mostly), so
 * with four first records timed and three of them required within the bound, the test fails without the setting
 * nearly every time (run with
 * {@code -Dmp.messaging.connector.smallrye-kafka.poll-timeout=1000} to see it).
 */
@QuarkusTest
@TestProfile(FirstRecordOfAPartitionTest.FreshStart.class)
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class FirstRecordOfAPartitionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * A hop on a busy 2-core machine stays under this (at most 638 ms seen at load 13); one held back by a 1 s poll
     * does not (1,055 ms at least, out of 14). As high as that allows, since the CI builds two modules at a time.
     */
    private static final long WITHIN_MS = 900;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final ReleaseSpec OLD = new ReleaseSpec("shop", "1.0.0",
            new ArtifactRef("file:/a.jar", "a".repeat(64)), null);
    private static final ReleaseSpec RELEASE = new ReleaseSpec("shop", "2.0.0",
            new ArtifactRef("file:/b.jar", "b".repeat(64)), null);
    static CloudEventsTestClient kafka;

    public static class FreshStart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stagecraft.test.fresh-start", "true");
        }
    }

    @Inject
    CatchUp catchUp;

    @BeforeAll
    static void connect() {
        kafka = new CloudEventsTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void theFirstRecordsOnFreshPartitionsAreHandledWithoutWaitingForAPoll() throws Exception {
        Awaitility.await().atMost(WAIT).until(catchUp::caughtUp);
        int partitions = kafka.partitionCount(Topics.DEPLOYMENTS);
        // The first saga of a JVM pays for its cold code paths; it goes to partition 0, the ones timed to the others.
        resolved(started(deploymentOn(0, partitions)));
        List<Long> hops = new ArrayList<>();
        for (int partition = 1; partition < partitions; partition++) {
            Hop start = started(deploymentOn(partition, partitions));
            hops.add(start.millis());
            hops.add(resolved(start).millis());
        }
        System.out.printf("first records on their partitions (deployment.requested → deployment.started,"
                + " targets.resolved → instances.update-requested, by partition): %s ms%n", hops);
        // Three of the four within the bound: one hop may be slow on a loaded machine; held back by a 1 s poll, three
        // or four of them take a second (one may beat the poll to the polling thread).
        long third = hops.stream().sorted().toList().get(hops.size() / 2);
        assertTrue(third < WITHIN_MS, "first hops on fresh partitions: " + hops
                + " ms (a second each: held back by the connector's poll)");
    }

    /** One deployment's hop: from a record given to rollout-service to the record it answered with. */
    record Hop(String id, long millis) {
    }

    /** Requests a deployment (on the deployments topic); the hop to the record that it started. */
    private static Hop started(String id) throws Exception {
        long requested = publish(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED, new DeploymentRequested(id,
                "shop", "2.0.0", "staging", RELEASE, StrategySpec.rolling("1"), "test", Instant.now()));
        return new Hop(id, answer(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_STARTED).timestamp() - requested);
    }

    /** Answers the saga's first step (on the instances topic) with a fleet of one; the hop to its next step. */
    private static Hop resolved(Hop started) throws Exception {
        String id = started.id();
        answer(Topics.ROLLOUT_STEPS, id, EventTypes.RESOLVE_REQUESTED);
        long resolved = publish(Topics.INSTANCES, id, EventTypes.TARGETS_RESOLVED, new TargetsResolved(id, true, 1,
                List.of(new InstanceRef("i-a", "127.0.0.1:1", "IN_SERVICE", OLD))));
        return new Hop(id, answer(Topics.ROLLOUT_STEPS, id, EventTypes.UPDATE_REQUESTED).timestamp() - resolved);
    }

    /** Publishes a fact; answers its record's timestamp. */
    private static long publish(String topic, String id, String type, Object payload) throws Exception {
        String eventId = kafka.publish(topic, id, type, JSON.writeValueAsString(payload));
        return kafka.await(topic, r -> eventId.equals(CloudEventsTestClient.header(r, "ce_id")), WAIT).timestamp();
    }

    private static ConsumerRecord<String, String> answer(String topic, String id, String type) {
        return kafka.await(topic, r -> id.equals(r.key()) && type.equals(CloudEventsTestClient.header(r, "ce_type")),
                WAIT);
    }

    /** A deployment id that the producers' default partitioner puts on {@code partition}. */
    private static String deploymentOn(int partition, int partitions) {
        while (true) {
            String id = UUID.randomUUID().toString();
            if (Utils.toPositive(Utils.murmur2(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions
                    == partition) {
                return id;
            }
        }
    }
}
