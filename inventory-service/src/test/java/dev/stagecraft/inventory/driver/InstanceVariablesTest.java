package dev.stagecraft.inventory.driver;

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
import dev.stagecraft.platform.secrets.SecretBox;
import dev.stagecraft.platform.secrets.SecretScope;

/**
 * What the driver opens, at unit level: the reported attack and its variants, each a release spec as it could
 * reach inventory-service in a step command (forged on the topic, or built from a user's release), and what the
 * instance would get. Goal: not one of them hands the production password to a process.
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
                        Optional.of(BOX));
                if (variables.containsValue(PASSWORD)) {
                    wronglyAccepted.add(attempt.what());
                }
            } catch (DriverException refused) {
                assertFalse(refused.getMessage().contains(PASSWORD), refused.getMessage());
            }
        }
        System.out.printf("driver: %d forged secrets tried, %d wrongly opened %s%n", attempts.size(),
                wronglyAccepted.size(), wronglyAccepted);
        assertEquals(List.of(), wronglyAccepted);
    }

    @Test
    void aSecretOfItsOwnEnvironmentServiceAndNameOpensAndConfigPassesAsItIs() {
        Map<String, String> variables = InstanceVariables.of("production",
                spec("shop", Map.of("GREETING", "hi"), Map.of("DB_PASSWORD", PROD_SEALED)), Optional.of(BOX));
        assertEquals(Map.of("GREETING", "hi", "DB_PASSWORD", PASSWORD), variables);
    }

    @Test
    void refusalsNameTheVariable() {
        DriverException inConfig = assertThrows(DriverException.class, () -> InstanceVariables.of("staging",
                spec("shop", Map.of("STOLEN", PROD_SEALED), Map.of()), Optional.of(BOX)));
        assertTrue(inConfig.getMessage().contains("config variable STOLEN"), inConfig.getMessage());
        DriverException elsewhere = assertThrows(DriverException.class, () -> InstanceVariables.of("staging",
                spec("shop", Map.of(), Map.of("DB_PASSWORD", PROD_SEALED)), Optional.of(BOX)));
        assertTrue(elsewhere.getMessage().startsWith("secret DB_PASSWORD: does not open"), elsewhere.getMessage());
        DriverException noKey = assertThrows(DriverException.class, () -> InstanceVariables.of("production",
                spec("shop", Map.of(), Map.of("DB_PASSWORD", PROD_SEALED)), Optional.empty()));
        assertTrue(noKey.getMessage().contains("no secrets key"), noKey.getMessage());
    }
}
