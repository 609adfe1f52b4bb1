package dev.stagecraft.platform.deadletter;

import java.time.Instant;
import java.util.Map;

/**
 * One record on this service's dead-letter topic, as an operator sees it.
 *
 * @param id its offset on the dead-letter topic (one partition): what a re-drive names
 * @param topic where it came from, and where a re-drive sends it back
 * @param headers its CloudEvents headers ({@code ce_*}) and the dead-letter headers that say why
 */
public record DeadLetter(long id, Instant at, String topic, Integer partition, Long offset, String key, String type,
        String eventId, String reason, Map<String, String> headers, String value) {
}
