package dev.stagecraft.devinfra;

/**
 * A Kafka broker that tests talk to, whether this JVM started it (a process or a container) or it runs
 * elsewhere. Closing it stops what was started here, and nothing else.
 */
public final class TestBroker implements AutoCloseable {
    private final String bootstrapServers;
    private final String description;
    private final Runnable stop;

    TestBroker(String bootstrapServers, String description, Runnable stop) {
        this.bootstrapServers = bootstrapServers;
        this.description = description;
        this.stop = stop;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        stop.run();
    }

    @Override
    public String toString() {
        return description + " at " + bootstrapServers;
    }
}
