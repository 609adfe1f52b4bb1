package dev.stagecraft.devinfra;

import java.sql.SQLException;

/**
 * A PostgreSQL server that tests talk to, whether this JVM started it (embedded binaries or a container) or
 * it runs elsewhere. Closing it stops what was started here, and nothing else.
 */
public final class TestDatabase implements AutoCloseable {
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String description;
    private final Runnable stop;

    TestDatabase(String host, int port, String user, String password, String description, Runnable stop) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.description = description;
        this.stop = stop;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

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
