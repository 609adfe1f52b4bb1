package dev.stagecraft.release.flags;


import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.platform.messaging.CloudEventHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps this replica's {@link FlagCache} current with changes other replicas commit: every
 * {@code dev.stagecraft.flag.changed} makes it reload that flag from the database (or drop it, if gone). Every
 * replica has its own consumer group and no inbox (the inbox is shared by replicas and would let only one of them
 * see each event); reloading is idempotent, so a duplicate costs one query and nothing else.
 */
@ApplicationScoped
public class FlagChangesConsumer {
    private static final Logger LOG = Logger.getLogger(FlagChangesConsumer.class);
    private final FlagStore store;
    private final FlagCache cache;
    private final ObjectMapper mapper;

    public FlagChangesConsumer(FlagStore store, FlagCache cache, ObjectMapper mapper) {
        this.store = store;
        this.cache = cache;
        this.mapper = mapper;
    }

    @Incoming("flag-changes")
    public Uni<Void> onChange(ConsumerRecord<String, String> record) {
        if (!EventTypes.FLAG_CHANGED.equals(CloudEventHeaders.value(record, CloudEventHeaders.TYPE))) {
            return Uni.createFrom().voidItem();
        }
        JsonNode event;
        try {
            event = mapper.readTree(record.value());
        } catch (Exception e) {
            LOG.warnf("skipping an unreadable flag.changed at offset %d: %s", record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        String service = event.path("service").asText();
        String environment = event.path("environment").asText();
        String key = event.path("key").asText();
        return store.current(service, environment, key).invoke(row -> {
            if (row == null) {
                cache.remove(new FlagScope(service, environment), key);
            } else {
                cache.apply(row);
            }
        }).onFailure().invoke(e -> LOG.warnf("could not reload flag %s/%s/%s: %s", service, environment, key,
                e.getMessage())).onFailure().recoverWithNull().replaceWithVoid();
    }
}
