package dev.stagecraft.release.webhook;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.stagecraft.platform.persistence.JsonText;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Who wants which lifecycle events, where, and the secret their requests are signed with. */
@Entity
@Table(name = "webhook_subscription")
public class WebhookSubscription extends PanacheEntityBase {
    @Id
    public String id;
    public String url;
    /** Only the signer reads it; views show "***". */
    public String secret;
    /** JSON list of short event names, or ["*"]. */
    public String events;
    @Column(name = "created_at")
    public Instant createdAt;

    public List<String> eventNames() {
        return JsonText.read(events, new TypeReference<List<String>>() {
        });
    }

    public boolean wants(String shortName) {
        return WebhookEvents.wants(eventNames(), shortName);
    }

    @Override
    public String toString() {
        return "WebhookSubscription[" + id + "]";
    }
}
