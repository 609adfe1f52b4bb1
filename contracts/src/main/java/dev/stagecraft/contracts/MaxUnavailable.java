package dev.stagecraft.contracts;

import java.util.Optional;

/**
 * How many instances a rolling deployment may take out of service at once: a count ("2") or a
 * percentage of the fleet ("25%"). A percentage rounds down but never below one instance, so a
 * rollout always makes progress.
 */
public record MaxUnavailable(int value, boolean percent) {
    public static final MaxUnavailable ONE = new MaxUnavailable(1, false);

    /** Parses "N" or "N%"; empty when the text is neither, or out of range (count ≥ 1, percentage 1–100). */
    public static Optional<MaxUnavailable> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        boolean percent = trimmed.endsWith("%");
        String digits = percent ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        if (!digits.matches("\\d{1,9}")) {
            return Optional.empty();
        }
        int value = Integer.parseInt(digits);
        if (value < 1 || (percent && value > 100)) {
            return Optional.empty();
        }
        return Optional.of(new MaxUnavailable(value, percent));
    }

    /** The batch size for a fleet of {@code fleetSize} instances (at least 1, at most the fleet). */
    public int batchSize(int fleetSize) {
        if (fleetSize <= 0) {
            return 0;
        }
        int size = percent ? (int) Math.floor(fleetSize * (value / 100.0)) : value;
        return Math.max(1, Math.min(size, fleetSize));
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }
}
