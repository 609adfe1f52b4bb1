package dev.stagecraft.devinfra;

import java.sql.SQLException;

/**
 * A PostgreSQL server that tests talk to, whether this JVM started it (embedded binaries or a container) or
 * it runs elsewhere. Closing it runs {@code stop}, which stops what was started here and nothing else.
 */
public record TestDatabase(String host, int port, String user, String password, String description, Runnable stop)
        implements AutoCloseable {

    /** Creates the database {@code name} if it does not exist yet. */
    public void createDatabase(String name) throws SQLException {
        PostgresServer.createDatabase(host, port, user, password, name);
    }

    @Override
    public void close() {
        stop.run();
    }

    @Override
    public String toString() {
        return description + " at " + host + ":" + port;
    }
}
