package dev.stagecraft.platform.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The outbound client against a real server on 127.0.0.1: pinned addresses, limits, no redirects. */
class OutboundHttpTest {
    static final OutboundLimits LIMITS = new OutboundLimits(Duration.ofSeconds(2), Duration.ofMillis(500),
            Duration.ofSeconds(1), 1000);
    /** Loopback only, for the test server: every other address is judged by the real policy. */
    static final Destinations LOOPBACK_TOO = (host, address) -> address.isLoopbackAddress() ? Optional.empty()
            : OutboundAddressPolicy.refusal(address);

    static HttpServer server;
    static final List<String> hostHeaders = new CopyOnWriteArrayList<>();
    final List<InetSocketAddress> dialed = new CopyOnWriteArrayList<>();
    final Dialer recording = (address, timeout) -> {
        dialed.add(address);
        return Dialer.PLAIN.connect(address, timeout);
    };
    /** "rebind.test" resolves to 127.0.0.1, as a name that turned internal after it was checked would. */
    final HostResolver resolver = host -> host.equals("rebind.test") ? List.of(InetAddress.getByName("127.0.0.1"))
            : HostResolver.SYSTEM.resolve(host);
    final OutboundHttp http = new OutboundHttp(resolver, recording);

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/small", exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 3; i++) {
                    out.write("abc".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.createContext("/large-declared", exchange -> {
            exchange.sendResponseHeaders(200, 5000);
            exchange.getResponseBody().write(new byte[5000]);
            exchange.close();
        });
        server.createContext("/large-chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[5000]);
            } catch (IOException e) {
                // the client hung up, as it should
            }
        });
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // the client hung up, as it should
            }
        });
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    String url(String host, String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    @Test
    void refusesTheMetadataAddressBeforeConnecting() {
        OutboundRefusedException e = assertThrows(OutboundRefusedException.class, () -> http.get(
                URI.create("http://169.254.169.254/latest/meta-data/"), LIMITS, Destinations.PUBLIC_ONLY));
        assertTrue(e.getMessage().contains("link-local"), e.getMessage());
        assertEquals(List.of(), dialed);
    }

    @Test
    void refusesANameThatResolvesToLoopbackBeforeConnecting() {
        OutboundRefusedException e = assertThrows(OutboundRefusedException.class, () -> http.get(
                URI.create(url("rebind.test", "/small")), LIMITS, Destinations.PUBLIC_ONLY));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertEquals(List.of(), dialed);
    }

    @Test
    void refusesAmbiguousNumericHostsBeforeResolving() {
        assertThrows(OutboundRefusedException.class, () -> http.get(URI.create("http://2130706433/"), LIMITS,
                LOOPBACK_TOO));
        assertEquals(List.of(), dialed);
    }

    @Test
    void connectsToTheCheckedAddressAndSendsTheNameAsHost() throws IOException {
        try (OutboundResponse response = http.get(URI.create(url("rebind.test", "/small")), LIMITS, LOOPBACK_TOO)) {
            assertEquals(200, response.status());
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), response.body().readAllBytes());
        }
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", server.getAddress().getPort())), dialed);
        assertTrue(hostHeaders.contains("rebind.test:" + server.getAddress().getPort()), hostHeaders.toString());
    }

    @Test
    void readsChunkedBodies() throws IOException {
        try (OutboundResponse response = http.get(URI.create(url("127.0.0.1", "/chunked")), LIMITS, LOOPBACK_TOO)) {
            assertEquals("abcabcabc", new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void refusesADeclaredBodyOverTheLimitBeforeReadingIt() throws IOException {
        try (OutboundResponse response = http.get(URI.create(url("127.0.0.1", "/large-declared")), LIMITS,
                LOOPBACK_TOO)) {
            assertEquals(200, response.status()); // the status alone may still be used (webhooks)
            assertThrows(OutboundRefusedException.class, () -> response.body().read(new byte[10]));
        }
    }

    @Test
    void stopsReadingAnUndeclaredBodyAtTheLimit() throws IOException {
        try (OutboundResponse response = http.get(URI.create(url("127.0.0.1", "/large-chunked")), LIMITS,
                LOOPBACK_TOO)) {
            assertThrows(OutboundRefusedException.class, () -> response.body().readAllBytes());
        }
    }

    @Test
    void cutsOffABodyThatTricklesPastTheTotalDeadline() throws IOException {
        long start = System.nanoTime();
        try (OutboundResponse response = http.get(URI.create(url("127.0.0.1", "/trickle")), LIMITS, LOOPBACK_TOO)) {
            assertThrows(SocketTimeoutException.class, () -> response.body().readAllBytes());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2500, "took " + millis + " ms; the deadline is 1 s");
    }

    @Test
    void doesNotFollowRedirects() throws IOException {
        try (OutboundResponse response = http.get(URI.create(url("127.0.0.1", "/redirect")), LIMITS, LOOPBACK_TOO)) {
            assertEquals(302, response.status());
        }
        assertEquals(1, dialed.size());
    }

    @Test
    void postsABody() throws IOException {
        try (OutboundResponse response = http.send("POST", URI.create(url("127.0.0.1", "/small")),
                Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8), LIMITS,
                LOOPBACK_TOO)) {
            assertEquals(200, response.status());
        }
    }

    @Test
    void refusesHeaderValuesWithLineBreaks() {
        assertThrows(OutboundRefusedException.class, () -> http.send("POST", URI.create(url("127.0.0.1", "/small")),
                Map.of("X-Evil", "a\r\nHost: other"), new byte[0], LIMITS, LOOPBACK_TOO));
    }
}
