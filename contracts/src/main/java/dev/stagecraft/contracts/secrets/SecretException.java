package dev.stagecraft.contracts.secrets;

/** A sealed value that cannot be opened here; the message says why and never quotes the value. */
public class SecretException extends IllegalArgumentException {
    public SecretException(String message) {
        super(message);
    }
}
