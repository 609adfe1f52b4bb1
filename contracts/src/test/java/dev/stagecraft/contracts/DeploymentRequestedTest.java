package dev.stagecraft.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which copy of a deployment request may start a saga, and what followers see of the secrets. */
class DeploymentRequestedTest {
    private static final String SEALED = "sealed:v2:default:AAAA";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no secrets                          |                                   | true  | ",
            "sealed secrets (the saga's start)   | DB_PASSWORD=" + SEALED + "        | true  | DB_PASSWORD=***",
            "two sealed secrets                  | A=" + SEALED + ";B=" + SEALED + " | true  | A=***;B=***",
            "masked (the followers' copy)        | DB_PASSWORD=***                   | false | DB_PASSWORD=***",
            "one masked of two                   | A=" + SEALED + ";B=***            | false | A=***;B=***",
    })
    void aSagaStartsOnlyFromACopyWithNoMaskedSecret(String name, String secrets, boolean canStart, String followers) {
        DeploymentRequested request = request(map(secrets));
        assertEquals(canStart, request.canStartSaga());
        DeploymentRequested forFollowers = request.forFollowers();
        assertEquals(map(followers), forFollowers.release().secrets());
        assertEquals(map(secrets).isEmpty(), forFollowers.canStartSaga(), "a masked copy never starts a saga");
        assertEquals(request.release().config(), forFollowers.release().config(), "config travels as it is");
        assertEquals(request.strategy(), forFollowers.strategy());
    }

    @Test
    void followersSeeASmokeChecksHeaderNamesButNotTheirValues() {
        SmokeCheck keyed = new SmokeCheck(null, "/api/cart", null, null, null, null, "POST",
                Map.of("X-Api-Key", "k-123", "Accept", "application/json"), Map.of("sku", "x"));
        SmokeCheck plain = new SmokeCheck(null, "/health/db", null, null, null, null);
        ReleaseSpec release = new ReleaseSpec("shop", "1.0.0", new ArtifactRef("file:/a.jar", "a".repeat(64)),
                Map.of(), Map.of(), ReleaseSpec.JAVA_JAR, List.of(keyed, plain));
        DeploymentRequested request = new DeploymentRequested("d1", "shop", "1.0.0", "staging", release,
                StrategySpec.rolling("1"), "alice", Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(true, request.canStartSaga());
        DeploymentRequested forFollowers = request.forFollowers();
        SmokeCheck shown = forFollowers.release().smokeChecks().get(0);
        assertEquals(Map.of("X-Api-Key", "***", "Accept", "***"), shown.headers());
        assertEquals(Map.of("sku", "x"), shown.body(), "the body is the check's, not a secret's place");
        assertEquals(plain, forFollowers.release().smokeChecks().get(1));
        assertEquals(false, forFollowers.canStartSaga(), "a check with masked headers would send ***");
        assertEquals("k-123", request.release().smokeChecks().get(0).headers().get("X-Api-Key"), "the original keeps it");
    }

    private static DeploymentRequested request(Map<String, String> secrets) {
        ReleaseSpec release = new ReleaseSpec("shop", "1.0.0", new ArtifactRef("file:/a.jar", "a".repeat(64)),
                Map.of("MODE", "strict"), secrets);
        return new DeploymentRequested("d1", "shop", "1.0.0", "staging", release, StrategySpec.rolling("1"), "alice",
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static Map<String, String> map(String pairs) {
        Map<String, String> map = new java.util.TreeMap<>();
        if (pairs != null && !pairs.isBlank()) {
            for (String pair : pairs.split(";")) {
                map.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        return map;
    }
}
