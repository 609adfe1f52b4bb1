package dev.stagecraft.release.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.stagecraft.platform.api.Problem;

class SubscriptionValidationTest {
    static final String SECRET = "0123456789abcdef";

    static List<String> fields(SubscriptionRequest request) {
        return SubscriptionValidation.check(request).list().stream().map(Problem.Violation::field).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "https                | https://ci.example.com/hooks/stagecraft?team=a",
            "http with port       | http://127.0.0.1:9000/hook",
            "upper-case scheme    | HTTPS://example.com/",
    })
    void acceptsAbsoluteHttpUrls(String name, String url) {
        assertEquals(List.of(), fields(new SubscriptionRequest(url, SECRET, List.of("deployment.succeeded"))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "relative             | /hooks",
            "no scheme            | example.com/hook",
            "ftp                  | ftp://example.com/hook",
            "file                 | file:///etc/passwd",
            "no host              | http:///hook",
            "credentials          | https://user:pass@example.com/hook",
            "fragment             | https://example.com/hook#x",
            "not a URL            | https://exa mple.com/",
            "blank                | '   '",
    })
    void refusesUrlsThatAreNotAbsoluteHttp(String name, String url) {
        assertEquals(List.of("url"), fields(new SubscriptionRequest(url, SECRET, List.of("*"))));
    }

    @Test
    void secretsAreLongEnoughAndNeverQuoted() {
        String shortSecret = "tooshort-secret";
        var violations = SubscriptionValidation.check(new SubscriptionRequest("https://e.com", shortSecret,
                List.of("*"))).list();
        assertEquals(List.of("secret"), violations.stream().map(Problem.Violation::field).toList());
        assertFalse(violations.get(0).message().contains(shortSecret), violations.get(0).message());
        assertEquals(List.of("secret"), fields(new SubscriptionRequest("https://e.com", null, List.of("*"))));
        assertEquals(List.of("secret"), fields(new SubscriptionRequest("https://e.com", " " + SECRET, List.of("*"))));
        assertEquals(List.of("secret"), fields(new SubscriptionRequest("https://e.com", "x".repeat(257), List.of("*"))));
    }

    @Test
    void eventsAreKnownNamesOrAStar() {
        assertEquals(List.of(), fields(new SubscriptionRequest("https://e.com", SECRET,
                List.copyOf(WebhookEvents.names()))));
        assertEquals(List.of("events"), fields(new SubscriptionRequest("https://e.com", SECRET, List.of())));
        assertEquals(List.of("events"), fields(new SubscriptionRequest("https://e.com", SECRET, null)));
        assertEquals(List.of("events[1]", "events[2]"), fields(new SubscriptionRequest("https://e.com", SECRET,
                Arrays.asList("deployment.started", "dev.stagecraft.deployment.started", null))));
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertEquals(List.of("url", "secret", "events[0]"),
                fields(new SubscriptionRequest("ftp://x", "short", List.of("deployment.exploded"))));
        assertEquals(List.of("body"), fields(null));
    }

    @Test
    void aStarCoversEverythingAndRepeatsAreDropped() {
        assertEquals(List.of("*"), WebhookSubscriptions.normalised(List.of("deployment.failed", "*")));
        assertEquals(List.of("deployment.failed", "deployment.aborted"),
                WebhookSubscriptions.normalised(List.of("deployment.failed", "deployment.aborted", "deployment.failed")));
        assertTrue(WebhookEvents.wants(List.of("*"), "deployment.requested"));
        assertFalse(WebhookEvents.wants(List.of("deployment.succeeded"), "deployment.started"));
    }
}
