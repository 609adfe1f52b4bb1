package dev.stagecraft.router;

/** The router could not do what it was asked (for example, open a fleet's port); the message says why. */
public class RouterException extends RuntimeException {
    public RouterException(String message) {
        super(message);
    }

    public RouterException(String message, Throwable cause) {
        super(message, cause);
    }
}
