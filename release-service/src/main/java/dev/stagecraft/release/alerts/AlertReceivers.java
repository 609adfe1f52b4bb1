package dev.stagecraft.release.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The Alertmanager receivers allowed to post alerts, each with its own bearer token:
 * {@code STAGECRAFT_ALERT_RECEIVERS=name:token,name2:token2} (tokens of 32 characters or more). Alertmanager sends
 * the token with {@code http_config.authorization.credentials}; the receiver's name is what the timeline and
 * the audit log say the alert came from. Tokens are compared by their SHA-256 in constant time, so neither the
 * length nor the content of a configured token leaks through timing.
 */
@ApplicationScoped
public class AlertReceivers {
    private static final Logger LOG = Logger.getLogger(AlertReceivers.class);
    static final int MIN_TOKEN_LENGTH = 32;
    private static final String BEARER = "Bearer ";

    private final Map<String, byte[]> digestByName = new LinkedHashMap<>();

    public AlertReceivers(@ConfigProperty(name = "stagecraft.alerts.receivers") Optional<String> configured) {
        configured.ifPresent(text -> parse(text).forEach((name, token) -> digestByName.put(name, sha256(token))));
    }

    /** {@code name:token,…}; entries that are malformed or whose token is too short are left out, loudly. */
    static Map<String, String> parse(String text) {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String name = colon > 0 ? trimmed.substring(0, colon) : "";
            String token = colon > 0 ? trimmed.substring(colon + 1) : "";
            if (!name.matches("[a-z0-9][a-z0-9._-]{0,62}") || token.length() < MIN_TOKEN_LENGTH) {
                LOG.errorf("stagecraft.alerts.receivers: entry '%s…' ignored: it must be name:token, the name in"
                        + " [a-z0-9._-], the token %d characters or more", name.isEmpty() ? "?" : name, MIN_TOKEN_LENGTH);
                continue;
            }
            tokens.put(name, token);
        }
        return tokens;
    }

    public boolean anyConfigured() {
        return !digestByName.isEmpty();
    }

    /** The receiver whose token the {@code Authorization} header carries, if any. */
    public Optional<String> receiverOf(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return Optional.empty();
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
        String match = null;
        for (Map.Entry<String, byte[]> e : digestByName.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getValue()) && match == null) {
                match = e.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
