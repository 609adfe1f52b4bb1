package dev.stagecraft.platform.outbox;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the saga topics (and this service's dead-letter topic) at start-up when they are missing,
 * so that nothing depends on the broker auto-creating topics with whatever defaults it has.
 */
@ApplicationScoped
public class TopicBootstrap {
    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);
    static final List<String> SAGA_TOPICS = List.of(Topics.COMMANDS, Topics.RELEASES, Topics.DEPLOYMENTS,
            Topics.SAGA_STARTS, Topics.ROLLOUT_STEPS, Topics.INSTANCES, Topics.HEALTH, Topics.ROLLBACKS, Topics.FLAGS,
            Topics.HOST_COMMANDS, Topics.HOST_STATUS, Topics.CDEVENTS);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;
    @ConfigProperty(name = "stagecraft.kafka.partitions", defaultValue = "3")
    int partitions;
    @ConfigProperty(name = "stagecraft.kafka.replication-factor", defaultValue = "1")
    short replicationFactor;

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        Map<String, Object> settings = new java.util.HashMap<>(dev.stagecraft.platform.kafka.KafkaSecuritySettings
                .clientProperties(org.eclipse.microprofile.config.ConfigProvider.getConfig()));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(settings)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new java.util.ArrayList<>();
            for (String topic : SAGA_TOPICS) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, partitions, replicationFactor));
                }
            }
            String deadLetter = Topics.deadLetter(applicationName);
            if (!existing.contains(deadLetter)) {
                missing.add(new NewTopic(deadLetter, 1, replicationFactor));
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).values().forEach((name, future) -> {
                    try {
                        future.get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                            throw new IllegalStateException("cannot create topic " + name, e.getCause());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot create topic " + name, e);
                    }
                });
                LOG.infof("created topics %s", missing.stream().map(NewTopic::name).collect(Collectors.joining(", ")));
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer: " + e.getMessage(), e);
        }
    }
}
