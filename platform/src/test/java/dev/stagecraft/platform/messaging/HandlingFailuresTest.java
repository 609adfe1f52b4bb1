package dev.stagecraft.platform.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.stream.Stream;

import org.hibernate.StaleObjectStateException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.DataException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vertx.pgclient.PgException;

/** Which failures a consumer retries for as long as it takes, and which it gives to the dead-letter topic. */
class HandlingFailuresTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("a value too long (Hibernate)", new DataException("too long", new SQLException("x", "22001")),
                        true),
                Arguments.of("a value too long (driver, wrapped)", new RuntimeException(new PgException("too long",
                        "ERROR", "22001", null)), true),
                Arguments.of("a check constraint", new ConstraintViolationException("check", new SQLException("x",
                        "23514"), "c"), true),
                Arguments.of("a unique key taken by a concurrent insert", new ConstraintViolationException("dup",
                        new SQLException("x", "23505"), "pk"), false),
                Arguments.of("a poison record", new PoisonRecordException("not JSON"), true),
                Arguments.of("a poison payload, wrapped", new IllegalStateException(new PoisonRecordException("x")), true),
                Arguments.of("the database away", new ConnectException("Connection refused"), false),
                Arguments.of("a serialization failure", new PgException("could not serialize", "ERROR", "40001", null),
                        false),
                Arguments.of("a lost optimistic lock", new StaleObjectStateException("saga", "d1"), false),
                Arguments.of("anything else", new IllegalStateException("pool closed"), false));
    }

    @ParameterizedTest(name = "{0}: permanent {2}")
    @MethodSource("failures")
    void judges(String name, Throwable failure, boolean permanent) {
        assertEquals(permanent, HandlingFailures.isPermanent(failure));
    }
}
