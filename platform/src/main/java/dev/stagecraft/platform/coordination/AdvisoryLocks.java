package dev.stagecraft.platform.coordination;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * Mutual exclusion between the replicas of a service, and between the callers inside each: PostgreSQL session-level
 * advisory locks, all held on one JDBC connection of their own (not a pooled one: a pool would hand the session, and
 * its locks, to another caller). A lock lives as long as that connection, so a replica killed with SIGKILL releases
 * every lock it held as soon as the database sees its socket close; nothing expires on a timer.
 *
 * <p>Session-level advisory locks are re-entrant per session, so every replica's callers share one session: this
 * class keeps the set it holds and refuses a key held already, which makes a lock exclusive inside the process
 * too. Every call is short ({@code pg_try_advisory_lock} never waits); callers that must wait try again.
 *
 * <p>Should the connection break (the database restarted), every lock it held is gone: the set is cleared, a
 * warning names the keys, and the next call opens a new connection. A caller that held a lock then is no longer
 * exclusive; {@link #holds} tells it.
 */
public final class AdvisoryLocks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AdvisoryLocks.class);

    /** Opens the connection the locks live on. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final ConnectionSource source;
    private final Set<Long> held = new HashSet<>();
    private Connection connection;

    public AdvisoryLocks(ConnectionSource source) {
        this.source = source;
    }

    /** Locks on a connection of their own to the PostgreSQL database at {@code jdbcUrl}, opened at first use. */
    public static AdvisoryLocks postgres(String jdbcUrl, String user, String password) {
        return new AdvisoryLocks(() -> {
            java.util.Properties props = new java.util.Properties();
            props.setProperty("user", user);
            props.setProperty("password", password);
            props.setProperty("ApplicationName", "advisory-locks");
            // A database that stops answering must not hold a caller forever; a dead peer is noticed by keep-alive.
            props.setProperty("socketTimeout", "10");
            props.setProperty("connectTimeout", "5");
            props.setProperty("tcpKeepAlive", "true");
            return new org.postgresql.Driver().connect(jdbcUrl, props);
        });
    }

    /**
     * The lock key of {@code name} in {@code namespace}: the first 8 bytes of the SHA-256 of {@code namespace:name},
     * the same in every process and every version (unlike {@link String#hashCode}, it has 64 bits).
     */
    public static long key(String namespace, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((namespace + ":" + name).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code key} was free in every replica and is now held here, until {@link #release}. Never waits. */
    public synchronized boolean tryLock(long key) {
        if (held.contains(key)) {
            return false;
        }
        try {
            if (ask("SELECT pg_try_advisory_lock(?)", key)) {
                held.add(key);
                return true;
            }
            return false;
        } catch (SQLException e) {
            lost(e);
            return false;
        }
    }

    /** Lets {@code key} go; a key not held (or lost with the connection) is ignored. */
    public synchronized void release(long key) {
        if (!held.remove(key)) {
            return;
        }
        try {
            ask("SELECT pg_advisory_unlock(?)", key);
        } catch (SQLException e) {
            lost(e);
        }
    }

    /** Whether {@code key} is held here and the connection that holds it still answers (one round trip). */
    public synchronized boolean holds(long key) {
        if (!held.contains(key)) {
            return false;
        }
        try {
            if (connection.isValid(2)) {
                return true;
            }
            lost(new SQLException("the connection does not answer"));
        } catch (SQLException e) {
            lost(e);
        }
        return false;
    }

    private boolean ask(String sql, long key) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = source.open();
            connection.setAutoCommit(true);
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, key);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private void lost(SQLException e) {
        if (!held.isEmpty()) {
            LOG.warnf("the advisory locks' connection broke (%s): the locks %s are no longer held", e.getMessage(),
                    held);
        } else {
            LOG.warnf("the advisory locks' connection broke: %s", e.getMessage());
        }
        held.clear();
        closeQuietly();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // broken already
            }
            connection = null;
        }
    }

    /** Closing the connection releases every lock. */
    @Override
    public synchronized void close() {
        held.clear();
        closeQuietly();
    }
}
