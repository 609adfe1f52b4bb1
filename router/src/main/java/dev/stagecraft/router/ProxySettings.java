package dev.stagecraft.router;

import java.time.Duration;

/**
 * {@code connectTimeout}: how long the router waits for a connection to an instance (then tries another one);
 * {@code requestTimeout}: how long an instance may stay silent while answering before it is given up (504).
 */
public record ProxySettings(Duration connectTimeout, Duration requestTimeout) {
}
