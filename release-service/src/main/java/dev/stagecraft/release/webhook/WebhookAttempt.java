package dev.stagecraft.release.webhook;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The history of a delivery: one row per POST, so that a receiver's owner can see what it answered and when. */
@Entity
@Table(name = "webhook_attempt")
public class WebhookAttempt extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "delivery_id")
    public String deliveryId;
    public int attempt;
    public Instant at;
    @Column(name = "status_code")
    public Integer statusCode;
    public String error;
    @Column(name = "duration_ms")
    public long durationMillis;

    static WebhookAttempt of(WebhookDelivery delivery, AttemptResult result, Instant at) {
        WebhookAttempt row = new WebhookAttempt();
        row.deliveryId = delivery.id;
        row.attempt = delivery.attempts;
        row.at = at;
        row.statusCode = result.statusCode();
        row.error = result.error();
        row.durationMillis = result.durationMillis();
        return row;
    }
}
