package dev.stagecraft.release.flags;

import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.stagecraft.release.secrets.StoredSecrets;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What every instance gets to read its flags over OFREP: {@code OFREP_ENDPOINT} (config, release-service's base URL
 * as instances reach it: {@code STAGECRAFT_OFREP_URL}, by default {@code http://127.0.0.1:<http port>}) and
 * {@code OFREP_HEADERS=Authorization=Bearer ofrep_…} (a secret: an OFREP token for its own service and environment,
 * naming the deployment that started it,
 * sealed for exactly those instances like the environment's secrets, so it is never in clear in an event, a view or
 * a log). Without a secrets key there is no way to hand over a token that stays secret, so instances get neither.
 */
@ApplicationScoped
public class InstanceFlagAccess {
    public static final String ENDPOINT = "OFREP_ENDPOINT";
    public static final String HEADERS = "OFREP_HEADERS";
    private static final Logger LOG = Logger.getLogger(InstanceFlagAccess.class);

    public record Grant(Map<String, String> config, Map<String, String> sealedSecrets) {
    }

    private final OfrepTokens tokens;
    private final StoredSecrets secrets;
    private final String endpoint;
    private final String ttl;

    public InstanceFlagAccess(OfrepTokens tokens, StoredSecrets secrets,
            @ConfigProperty(name = "stagecraft.ofrep.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port,
            @ConfigProperty(name = "stagecraft.flags.instance-token-ttl", defaultValue = "400d") String ttl) {
        this.tokens = tokens;
        this.secrets = secrets;
        this.endpoint = url.filter(u -> !u.isBlank()).orElse("http://127.0.0.1:" + port);
        this.ttl = ttl;
    }

    /** {@code deploymentId}: the deployment that starts the instances, named in their token (canary overrides). */
    public Grant grant(String environment, String service, String deploymentId) {
        if (!secrets.configured()) {
            LOG.debugf("no secrets key: instances of %s in %s get no OFREP token", service, environment);
            return new Grant(Map.of(), Map.of());
        }
        String token = tokens.mint(new FlagScope(service, environment), ttl, null, deploymentId).token();
        return new Grant(Map.of(ENDPOINT, endpoint),
                Map.of(HEADERS, secrets.sealForInstances(environment, service, HEADERS, "Authorization=Bearer " + token)));
    }
}
