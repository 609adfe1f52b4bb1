package dev.stagecraft.release.webhook;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One event for one subscription; its id is the X-Stagecraft-Delivery header on every attempt. */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "subscription_id")
    public String subscriptionId;
    /** Short name, e.g. deployment.succeeded. */
    @Column(name = "event_type")
    public String eventType;
    @Column(name = "event_id")
    public String eventId;
    /** The exact request body, the same on every attempt. */
    public String payload;
    @Enumerated(EnumType.STRING)
    public DeliveryStatus status;
    public int attempts;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "last_status_code")
    public Integer lastStatusCode;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "delivered_at")
    public Instant deliveredAt;
    @Column(name = "failed_at")
    public Instant failedAt;

    /**
     * Counts one attempt and decides what comes next. Answers the metric outcome: delivered, retried or failed.
     */
    public String record(AttemptResult result, RetryPolicy policy, Instant now) {
        attempts++;
        lastStatusCode = result.statusCode();
        lastError = result.error();
        if (result.delivered()) {
            status = DeliveryStatus.DELIVERED;
            deliveredAt = now;
            nextAttemptAt = null;
            return "delivered";
        }
        if (policy.exhausted(attempts)) {
            status = DeliveryStatus.FAILED;
            failedAt = now;
            nextAttemptAt = null;
            return "failed";
        }
        nextAttemptAt = now.plus(policy.backoffAfter(attempts));
        return "retried";
    }
}
