package dev.stagecraft.release.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretScope;
import dev.stagecraft.platform.secrets.Secrets;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.webhook.WebhookSubscription;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Keeps every stored secret sealed under the primary key. At start it seals what an older version stored in
 * plain text (environment secrets, webhook signing secrets); {@link #reseal} also moves values sealed with an
 * older key of the ring to the primary one. Both are idempotent: a value sealed with the primary key is left
 * as it is, so running them again changes nothing. Values are never logged, only where they belong.
 */
@ApplicationScoped
public class SecretsAtRest {
    private static final Logger LOG = Logger.getLogger(SecretsAtRest.class);

    /** What a pass did; {@code unreadable} names secrets no key of the ring opens (their old key was dropped). */
    public record Report(int sealedFromPlain, int resealed, int alreadyCurrent, List<String> unreadable,
            String primaryKeyId) {
    }

    private final Secrets secrets;

    public SecretsAtRest(Secrets secrets) {
        this.secrets = secrets;
    }

    void sealPlainAtStart(@Observes StartupEvent event) {
        try {
            Report report = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> pass(false)));
            if (report.sealedFromPlain() > 0) {
                LOG.infof("sealed %d secrets that were stored in plain text", report.sealedFromPlain());
            }
        } catch (Throwable t) {
            // e.g. another replica sealing the same rows at the same moment (optimistic lock): its pass did the work,
            // and anything left is sealed at the next start or by POST /api/v1/admin/secrets/reseal.
            LOG.warnf("could not seal plain secrets at start: %s", t.toString());
        }
    }

    /** Re-seals every stored secret with the primary key; {@code audit} records the report in the same transaction. */
    public Uni<Report> reseal(java.util.function.Function<Report, Uni<Void>> audit) {
        return Panache.withTransaction(() -> pass(true).call(report -> audit.apply(report)));
    }

    private Uni<Report> pass(boolean rotate) {
        Optional<SecretBox> box = secrets.box();
        Counter counter = new Counter();
        return EnvironmentEntity.<EnvironmentEntity>listAll().chain(environments -> {
            for (EnvironmentEntity env : environments) {
                Map<String, String> updated = new LinkedHashMap<>();
                env.secrets.forEach((name, value) -> updated.put(name, counter.apply(box, value, rotate,
                        SecretScope.environment(env.name, name), "environment " + env.name + " secret " + name)));
                if (!updated.equals(env.secrets)) {
                    env.secrets = updated;
                }
            }
            return WebhookSubscription.<WebhookSubscription>listAll();
        }).map(subscriptions -> {
            for (WebhookSubscription s : subscriptions) {
                String updated = counter.apply(box, s.secret, rotate, SecretScope.webhook(s.id),
                        "webhook " + s.id + " secret");
                if (!updated.equals(s.secret)) {
                    s.secret = updated;
                }
            }
            if (box.isEmpty() && counter.plainWithoutKey > 0) {
                LOG.warnf("%d secrets are stored in plain text and no secrets key is set to seal them: set"
                        + " STAGECRAFT_SECRETS_KEY", counter.plainWithoutKey);
            }
            counter.unreadable.forEach(what -> LOG.warnf("%s does not open with any key of the ring", what));
            return new Report(counter.sealedFromPlain, counter.resealed, counter.current, List.copyOf(counter.unreadable),
                    box.map(SecretBox::primaryKeyId).orElse(null));
        });
    }

    private static final class Counter {
        int sealedFromPlain;
        int resealed;
        int current;
        int plainWithoutKey;
        final List<String> unreadable = new ArrayList<>();

        String apply(Optional<SecretBox> box, String value, boolean rotate, SecretScope scope, String what) {
            if (!SecretBox.looksSealed(value)) {
                if (box.isEmpty()) {
                    plainWithoutKey++;
                    return value;
                }
                sealedFromPlain++;
                return box.get().seal(value, scope);
            }
            if (box.isEmpty() || box.get().isCurrent(value) || !rotate) {
                current++;
                return value;
            }
            try {
                String resealedValue = box.get().reseal(value, scope);
                resealed++;
                return resealedValue;
            } catch (IllegalArgumentException e) {
                unreadable.add(what);
                return value;
            }
        }
    }
}
