package dev.stagecraft.release.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.platform.api.ApiProblem;

/** Minting and verifying OFREP tokens: scope, expiry, tampering, key rotation. */
class OfrepTokensTest {
    static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    static final String K2 = "k2:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static OfrepTokens tokens(String keys, Instant now) {
        return new OfrepTokens(Optional.of(keys), Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC), new ObjectMapper());
    }

    @Test
    void aTokenCarriesItsScopeUntilItExpires() {
        String token = tokens(K1, NOW).mint(new FlagScope("shop", "staging"), "1h", 5).token();
        var claims = tokens(K1, NOW.plusSeconds(3599)).verify(token).orElseThrow();
        assertEquals(new FlagScope("shop", "staging"), claims.scope());
        assertEquals(5, claims.ratePerSecond());
        assertEquals(null, claims.deploymentId(), "a token for people's own applications names no deployment");
        assertTrue(tokens(K1, NOW.plusSeconds(3600)).verify(token).isEmpty(), "expired");
    }

    @Test
    void anInstanceTokenNamesTheDeploymentThatStartedItsInstance() {
        String token = tokens(K1, NOW).mint(new FlagScope("shop", "staging"), "400d", null, "dep-42").token();
        assertEquals("dep-42", tokens(K1, NOW).verify(token).orElseThrow().deploymentId());
    }

    @Test
    void tamperedTruncatedOrForeignTokensAreRefused() {
        OfrepTokens t = tokens(K1, NOW);
        String token = t.mint(new FlagScope("shop", "staging"), null, null).token();
        int dot = token.lastIndexOf('.');
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(6, dot)));
        String widened = "ofrep_" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("staging", "production").getBytes()) + token.substring(dot);
        assertTrue(t.verify(widened).isEmpty());
        assertTrue(t.verify(token.substring(0, token.length() - 2)).isEmpty());
        assertTrue(t.verify(token.substring(0, dot)).isEmpty());
        assertTrue(t.verify("ofrep_" + token).isEmpty());
        assertTrue(tokens(K2, NOW).verify(token).isEmpty(), "another key ring");
        assertTrue(t.verify("eyJhbGciOi.x.y").isEmpty());
    }

    @Test
    void aRotatedRingStillAcceptsTheOldKeyAndSignsWithTheNew() {
        String old = tokens(K1, NOW).mint(new FlagScope("a", "b"), null, null).token();
        OfrepTokens rotated = tokens(K1 + "," + K2, NOW);
        assertTrue(rotated.verify(old).isPresent());
        String fresh = rotated.mint(new FlagScope("a", "b"), null, null).token();
        assertTrue(tokens(K2, NOW).verify(fresh).isPresent());
        assertTrue(tokens(K1, NOW).verify(fresh).isEmpty(), "new tokens are signed with the last key");
    }

    @Test
    void badLifetimesAndKeysAreRefused() {
        OfrepTokens t = tokens(K1, NOW);
        for (String ttl : new String[] {"0s", "-1d", "401d", "forever", "", "5"}) {
            assertThrows(ApiProblem.class, () -> t.mint(new FlagScope("a", "b"), ttl, null), ttl);
        }
        assertThrows(ApiProblem.class, () -> t.mint(new FlagScope("a", "b"), null, 0));
        assertThrows(IllegalArgumentException.class, () -> tokens("short:" + Base64.getEncoder().encodeToString(new byte[8]), NOW));
    }
}
