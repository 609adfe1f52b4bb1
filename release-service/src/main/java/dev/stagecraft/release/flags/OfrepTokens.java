package dev.stagecraft.release.flags;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * OFREP tokens: {@code ofrep_<payload>.<mac>}, both base64url, the payload JSON
 * {@code {"kid","svc","env","exp","rps","dep","jti"}}, the mac HMAC-SHA256 over {@code "ofrep_" + payload} with the
 * key {@code kid} names. A token evaluates the flags of exactly one service in one environment until {@code exp}; it
 * changes nothing. {@code dep}, only in the tokens the platform gives the instances a deployment starts, names that
 * deployment: a canary's flag overrides apply to exactly those instances ({@link CanaryFlagOverrides}). Not a JWT on purpose: a platform token can never be mistaken for one, nor the reverse.
 * <p>
 * Keys: {@code stagecraft.flags.token-keys} ({@code STAGECRAFT_FLAGS_TOKEN_KEYS}, {@code kid:base64,…}, at least 32
 * bytes each; the last signs new tokens, the others are still accepted, which is how a key is rotated). Every
 * replica must share them. Without it, a random key lives as long as the process: fine for one replica in
 * development, and said so in the log.
 */
@ApplicationScoped
public class OfrepTokens {
    public static final String PREFIX = "ofrep_";
    public static final Duration MAX_TTL = Duration.ofDays(400);
    private static final Logger LOG = Logger.getLogger(OfrepTokens.class);

    /** What a valid token allows. */
    public record Claims(FlagScope scope, Instant expires, Integer ratePerSecond, String tokenId, String deploymentId) {
    }

    /** A newly minted token; {@code token} is a secret, shown this once. */
    public record Minted(String token, String service, String environment, Instant expiresAt, Integer ratePerSecond) {
    }

    private final java.util.Map<String, byte[]> keys = new java.util.LinkedHashMap<>();
    private final String signingKid;
    private final Duration defaultTtl;
    private final Clock clock;
    private final ObjectMapper mapper;

    public OfrepTokens(@ConfigProperty(name = "stagecraft.flags.token-keys") Optional<String> configuredKeys,
            @ConfigProperty(name = "stagecraft.flags.token-ttl", defaultValue = "P30D") Duration defaultTtl,
            Clock clock, ObjectMapper mapper) {
        this.clock = clock;
        this.mapper = mapper;
        this.defaultTtl = defaultTtl;
        String last = null;
        for (String entry : configuredKeys.orElse("").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            byte[] key = colon > 0 ? Base64.getDecoder().decode(entry.substring(colon + 1).trim()) : new byte[0];
            if (colon <= 0 || key.length < 32) {
                throw new IllegalArgumentException("STAGECRAFT_FLAGS_TOKEN_KEYS entries must read kid:base64 of 32+ bytes");
            }
            last = entry.substring(0, colon).trim();
            keys.put(last, key);
        }
        if (last == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            last = "ephemeral-" + UUID.randomUUID().toString().substring(0, 8);
            keys.put(last, random);
            LOG.warn("no STAGECRAFT_FLAGS_TOKEN_KEYS: OFREP tokens are signed with a random key that dies with this"
                    + " process (other replicas and a restart reject them)");
        }
        this.signingKid = last;
    }

    public Minted mint(FlagScope scope, String ttl, Integer ratePerSecond) {
        return mint(scope, ttl, ratePerSecond, null);
    }

    /** {@code deploymentId}: the deployment whose instances hold this token (null for people's own applications). */
    public Minted mint(FlagScope scope, String ttl, Integer ratePerSecond, String deploymentId) {
        Duration lifetime = ttl == null ? defaultTtl : parseTtl(ttl);
        if (ratePerSecond != null && ratePerSecond < 1) {
            throw ApiProblem.badRequest("the token request is not valid",
                    List.of(new Problem.Violation("ratePerSecond", "must be at least 1")));
        }
        Instant expires = clock.instant().plus(lifetime);
        ObjectNode payload = mapper.createObjectNode();
        payload.put("kid", signingKid);
        payload.put("svc", scope.service());
        payload.put("env", scope.environment());
        payload.put("exp", expires.getEpochSecond());
        if (ratePerSecond != null) {
            payload.put("rps", ratePerSecond);
        }
        if (deploymentId != null) {
            payload.put("dep", deploymentId);
        }
        payload.put("jti", UUID.randomUUID().toString());
        String body = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.toString().getBytes(StandardCharsets.UTF_8));
        String token = body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(keys.get(signingKid), body));
        return new Minted(token, scope.service(), scope.environment(), Instant.ofEpochSecond(expires.getEpochSecond()),
                ratePerSecond);
    }

    /** The claims of a genuine, unexpired token; empty for anything else (no detail: the caller answers 401). */
    public Optional<Claims> verify(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        try {
            String body = token.substring(0, dot);
            JsonNode payload = mapper.readTree(Base64.getUrlDecoder().decode(body.substring(PREFIX.length())));
            byte[] key = keys.get(payload.path("kid").asText());
            byte[] given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            if (key == null || !MessageDigest.isEqual(mac(key, body), given)) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(payload.path("exp").asLong());
            if (!clock.instant().isBefore(expires)) {
                return Optional.empty();
            }
            Integer rps = payload.hasNonNull("rps") ? payload.get("rps").asInt() : null;
            return Optional.of(new Claims(new FlagScope(payload.path("svc").asText(), payload.path("env").asText()),
                    expires, rps, payload.path("jti").asText(), payload.hasNonNull("dep") ? payload.get("dep").asText() : null));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    static Duration parseTtl(String ttl) {
        Duration parsed = null;
        try {
            String t = ttl.trim();
            char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            long n = Long.parseLong(t.substring(0, Math.max(0, t.length() - 1)));
            parsed = switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> null;
            };
        } catch (NumberFormatException e) {
            // answered below
        }
        if (parsed == null || parsed.isNegative() || parsed.isZero() || parsed.compareTo(MAX_TTL) > 0) {
            throw ApiProblem.badRequest("the token request is not valid", List.of(new Problem.Violation("ttl",
                    "'" + ttl + "' must be a positive duration like 90s, 30m, 12h or 30d, at most 400d")));
        }
        return parsed;
    }

    private static byte[] mac(byte[] key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }
}
