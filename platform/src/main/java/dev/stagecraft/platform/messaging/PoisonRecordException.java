package dev.stagecraft.platform.messaging;

/**
 * A record that can never be processed, however often it is retried: it is sent to the consumer's
 * dead-letter topic so that the partition keeps flowing.
 */
public class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
