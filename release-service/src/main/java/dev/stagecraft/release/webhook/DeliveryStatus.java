package dev.stagecraft.release.webhook;

/** PENDING until a 2xx answer (DELIVERED) or until the attempts run out (FAILED). */
public enum DeliveryStatus {
    PENDING, DELIVERED, FAILED
}
