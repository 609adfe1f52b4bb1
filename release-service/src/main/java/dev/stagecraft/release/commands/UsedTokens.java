package dev.stagecraft.release.commands;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The command tokens already used ({@code used_command_token}), kept in the database until they expire, so that
 * a restart does not forget them and a captured token cannot send a second command. Claimed in the transaction
 * of the command's change, so a command that fails and is not recorded leaves its token unused for the retry.
 */
@ApplicationScoped
public class UsedTokens {
    /** Longer than the verifier's clock skew allowance: a row never goes while its token would still verify. */
    static final Duration KEPT_AFTER_EXPIRY = Duration.ofMinutes(2);
    private static final String CLAIM = """
            INSERT INTO used_command_token (jti, expires_at, used_at) VALUES (:jti, :expires, :now)
            ON CONFLICT (jti) DO NOTHING""";
    private static final String FORGET_EXPIRED = "DELETE FROM used_command_token WHERE expires_at < :now";

    /** A token presented a second time for a different command. */
    public static final class AlreadyUsed extends ApiProblem {
        AlreadyUsed() {
            super(401, "Unauthorized", "token already used", List.of(new Problem.Violation("authorization",
                    "token already used: a command token acts once; mint a new one for each command")));
        }
    }

    private final Clock clock;

    public UsedTokens(Clock clock) {
        this.clock = clock;
    }

    /** Marks the token used, in the caller's transaction; fails with {@link AlreadyUsed} if it was. */
    public Uni<Void> claim(CommandToken token) {
        return Panache.getSession().chain(session -> session.createNativeQuery(FORGET_EXPIRED)
                .setParameter("now", clock.instant()).executeUpdate()
                .chain(() -> session.createNativeQuery(CLAIM)
                        .setParameter("jti", token.id())
                        .setParameter("expires", token.expiresAt().plus(KEPT_AFTER_EXPIRY))
                        .setParameter("now", clock.instant())
                        .executeUpdate()))
                .invoke(inserted -> {
                    if (inserted == 0) {
                        throw new AlreadyUsed();
                    }
                }).replaceWithVoid();
    }

    /** Marks the token used if nobody has yet (a refused command used it too); never fails for a used one. */
    public Uni<Void> claimQuietly(CommandToken token) {
        return claim(token).onFailure(AlreadyUsed.class).recoverWithNull();
    }
}
