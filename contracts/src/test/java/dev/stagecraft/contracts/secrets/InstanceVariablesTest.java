package dev.stagecraft.contracts.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.ReleaseSpec;

/**
 * What the driver opens, at unit level: the reported attack and its variants, each a release spec as it could
 * reach inventory-service in a step command or a host agent in a host command (forged on the topic, or built from a user's release), and what the
 * instance would get. Goal: not one of them hands the production password to a process, whichever of the two opens it.
 */
class InstanceVariablesTest {
    private static final String PASSWORD = "prod-db-pa55word";
    private static final SecretBox BOX = SecretBox.ofBase64Key(SecretBox.newBase64Key());
    private static final String PROD_SEALED = BOX.seal(PASSWORD, SecretScope.instance("production", "shop", "DB_PASSWORD"));
    private static final String AT_REST = BOX.seal(PASSWORD, SecretScope.environment("production", "DB_PASSWORD"));

    private static ReleaseSpec spec(String service, Map<String, String> config, Map<String, String> secrets) {
        return new ReleaseSpec(service, "6.6.6", new ArtifactRef("file:/a.jar", "a".repeat(64)), config, secrets);
    }

    record Attempt(String what, String environment, ReleaseSpec release) {
    }

    @Test
    void noSealedValueOpensOutsideItsEnvironmentServiceAndName() {
        List<Attempt> attempts = List.of(
                new Attempt("the reported attack: production's value as plain config in staging", "staging",
                        spec("shop", Map.of("STOLEN", PROD_SEALED), Map.of())),
                new Attempt("production's value as plain config, even in production", "production",
                        spec("shop", Map.of("DB_PASSWORD", PROD_SEALED), Map.of())),
                new Attempt("forged into secrets of a staging step", "staging",
                        spec("shop", Map.of(), Map.of("DB_PASSWORD", PROD_SEALED))),
                new Attempt("forged into secrets under another name", "production",
                        spec("shop", Map.of(), Map.of("STOLEN", PROD_SEALED))),
                new Attempt("forged into secrets of another service", "production",
                        spec("cart", Map.of(), Map.of("DB_PASSWORD", PROD_SEALED))),
                new Attempt("release-service's at-rest value forged into secrets", "production",
                        spec("shop", Map.of(), Map.of("DB_PASSWORD", AT_REST))),
                new Attempt("an old unbound sealed:v1: value in config", "staging",
                        spec("shop", Map.of("STOLEN", "sealed:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), Map.of())));
        List<String> wronglyAccepted = new ArrayList<>();
        for (Attempt attempt : attempts) {
            try {
                Map<String, String> variables = InstanceVariables.of(attempt.environment(), attempt.release(),
                        Optional.of(BOX), "test");
                if (variables.containsValue(PASSWORD)) {
                    wronglyAccepted.add(attempt.what());
                }
            } catch (SecretException refused) {
                assertFalse(refused.getMessage().contains(PASSWORD), refused.getMessage());
            }
        }
        System.out.printf("instance variables: %d forged secrets tried, %d wrongly opened %s%n", attempts.size(),
                wronglyAccepted.size(), wronglyAccepted);
        assertEquals(List.of(), wronglyAccepted);
    }

    @Test
    void aSecretOfItsOwnEnvironmentServiceAndNameOpensAndConfigPassesAsItIs() {
        Map<String, String> variables = InstanceVariables.of("production",
                spec("shop", Map.of("GREETING", "hi"), Map.of("DB_PASSWORD", PROD_SEALED)), Optional.of(BOX), "test");
        assertEquals(Map.of("GREETING", "hi", "DB_PASSWORD", PASSWORD), variables);
    }

    @Test
    void refusalsNameTheVariable() {
        SecretException inConfig = assertThrows(SecretException.class, () -> InstanceVariables.of("staging",
                spec("shop", Map.of("STOLEN", PROD_SEALED), Map.of()), Optional.of(BOX), "test"));
        assertTrue(inConfig.getMessage().contains("config variable STOLEN"), inConfig.getMessage());
        SecretException elsewhere = assertThrows(SecretException.class, () -> InstanceVariables.of("staging",
                spec("shop", Map.of(), Map.of("DB_PASSWORD", PROD_SEALED)), Optional.of(BOX), "test"));
        assertTrue(elsewhere.getMessage().startsWith("secret DB_PASSWORD: does not open"), elsewhere.getMessage());
        SecretException noKey = assertThrows(SecretException.class, () -> InstanceVariables.of("production",
                spec("shop", Map.of(), Map.of("DB_PASSWORD", PROD_SEALED)), Optional.empty(), "test"));
        assertTrue(noKey.getMessage().contains("no secrets key"), noKey.getMessage());
    }

    @Test
    void onlySealedSecretsAndUnsealedConfigMayTravelToAHost() {
        InstanceVariables.requireSealedOnly(spec("shop", Map.of("GREETING", "hi"), Map.of("DB_PASSWORD", PROD_SEALED)));
        SecretException plain = assertThrows(SecretException.class, () -> InstanceVariables.requireSealedOnly(
                spec("shop", Map.of(), Map.of("DB_PASSWORD", PASSWORD))));
        assertTrue(plain.getMessage().startsWith("secret DB_PASSWORD is not a sealed:v2: value"), plain.getMessage());
        assertFalse(plain.getMessage().contains(PASSWORD), plain.getMessage());
        assertThrows(SecretException.class, () -> InstanceVariables.requireSealedOnly(
                spec("shop", Map.of(), Map.of("OLD", "sealed:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))));
        SecretException inConfig = assertThrows(SecretException.class, () -> InstanceVariables.requireSealedOnly(
                spec("shop", Map.of("STOLEN", PROD_SEALED), Map.of())));
        assertTrue(inConfig.getMessage().contains("config variable STOLEN"), inConfig.getMessage());
    }
}
