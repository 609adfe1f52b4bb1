package dev.stagecraft.inventory.driver;

/** An instance that could not be started, with what went wrong in words for the timeline. */
public class DriverException extends RuntimeException {
    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
