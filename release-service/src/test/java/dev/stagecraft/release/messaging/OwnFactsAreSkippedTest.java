package dev.stagecraft.release.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.release.domain.LifecycleFacts;
import dev.stagecraft.release.webhook.WebhookEvents;

/** What release-service publishes on stagecraft.deployments it must not apply again when it reads it back. */
class OwnFactsAreSkippedTest {

    @Test
    void theLifecycleConsumerAppliesOnlyTheSagasFacts() {
        List<String> own = new ArrayList<>(LifecycleFacts.TYPES);
        own.addAll(List.of(EventTypes.DEPLOYMENT_REQUESTED, EventTypes.COMMAND_ACCEPTED, EventTypes.COMMAND_REJECTED));
        List<String> overlap = own.stream().filter(SagaEventsConsumer.APPLIED::contains).toList();
        assertEquals(List.of(), overlap);
    }

    @Test
    void webhooksKnowEveryLifecycleFact() {
        assertTrue(WebhookEvents.types().containsAll(LifecycleFacts.TYPES), WebhookEvents.types().toString());
        assertTrue(WebhookEvents.types().containsAll(SagaEventsConsumer.APPLIED));
        assertTrue(WebhookEvents.names().contains("deployment.withdrawn"));
    }
}
