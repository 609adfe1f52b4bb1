package dev.stagecraft.devinfra;

/**
 * A Kafka broker that tests talk to, whether this JVM started it (a process or a container) or it runs
 * elsewhere. Closing it runs {@code stop}, which stops what was started here and nothing else.
 */
public record TestBroker(String bootstrapServers, String description, Runnable stop) implements AutoCloseable {
    @Override
    public void close() {
        stop.run();
    }

    @Override
    public String toString() {
        return description + " at " + bootstrapServers;
    }
}
