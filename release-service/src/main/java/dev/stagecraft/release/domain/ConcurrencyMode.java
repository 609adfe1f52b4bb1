package dev.stagecraft.release.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What happens to a deployment requested while another deployment of the same service holds the
 * environment: refused (409), queued behind it, or the running one is rolled back first.
 */
public enum ConcurrencyMode {
    REJECT, QUEUE, SUPERSEDE;

    public static final String CHOICES = Arrays.stream(values()).map(ConcurrencyMode::wire)
            .collect(Collectors.joining(", "));

    /** How the mode is written in requests, views and the database. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ConcurrencyMode> parse(String text) {
        return Arrays.stream(values()).filter(m -> m.wire().equals(text)).findFirst();
    }
}
