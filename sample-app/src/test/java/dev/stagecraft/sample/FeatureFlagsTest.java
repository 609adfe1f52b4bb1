package dev.stagecraft.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The OFREP poller against a stand-in bulk endpoint: values, ETag and 304, headers, and an endpoint that fails. */
class FeatureFlagsTest {

    @Test
    void readsTheBulkAnswerSendsItsETagBackAndKeepsValuesWhenTheEndpointFails() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        String[] body = {"{\"flags\":[{\"key\":\"new-greeting\",\"value\":true,\"reason\":\"STATIC\",\"variant\":\"on\"},"
                + "{\"key\":\"gone\",\"errorCode\":\"GENERAL\"}]}"};
        int[] status = {200};
        HttpServer ofrep = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ofrep.createContext("/ofrep/v1/evaluate/flags", exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestHeaders().getFirst("Authorization") + "|"
                    + exchange.getRequestHeaders().getFirst("If-None-Match") + "|" + request);
            byte[] bytes = body[0].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("ETag", "\"e1\"");
            exchange.sendResponseHeaders(status[0], status[0] == 200 ? bytes.length : -1);
            if (status[0] == 200) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        ofrep.start();
        try (FeatureFlags flags = FeatureFlags.fromEnv(Map.of(
                "OFREP_ENDPOINT", "http://127.0.0.1:" + ofrep.getAddress().getPort() + "/",
                "OFREP_HEADERS", "Authorization=Bearer ofrep_x.y",
                "SAMPLE_FLAG_POLL_MS", "100000"), "i-1")) {
            flags.poll();
            assertTrue(flags.isOn("new-greeting"));
            assertFalse(flags.isOn("gone"));
            status[0] = 304;
            flags.poll();
            assertTrue(flags.isOn("new-greeting"), "304 keeps the values");
            status[0] = 500;
            flags.poll();
            assertTrue(flags.isOn("new-greeting"), "a failing endpoint keeps the values");
            status[0] = 200;
            body[0] = "{\"flags\":[{\"key\":\"new-greeting\",\"value\":false}]}";
            flags.poll();
            assertFalse(flags.isOn("new-greeting"));
        } finally {
            ofrep.stop(0);
        }
        assertTrue(seen.size() >= 5, seen::toString);
        assertEquals("Bearer ofrep_x.y|null|{\"context\":{\"targetingKey\":\"i-1\"}}", seen.get(0));
        assertEquals("Bearer ofrep_x.y|\"e1\"|{\"context\":{\"targetingKey\":\"i-1\"}}", seen.get(2));
    }

    @Test
    void withoutAnEndpointEveryFlagIsOff() {
        try (FeatureFlags flags = FeatureFlags.fromEnv(Map.of(), "i-1")) {
            assertFalse(flags.isOn("new-greeting"));
        }
    }

    @Test
    void theTinyReaderReadsWhatOfrepSends() {
        Object parsed = JsonReader.parse("{\"a\":[1,2.5,-3e2],\"b\":{\"c\":\"x\\\"\\u00e9\"},\"d\":true,\"e\":null}");
        assertEquals("{a=[1.0, 2.5, -300.0], b={c=x\"é}, d=true, e=null}", parsed.toString());
    }
}
