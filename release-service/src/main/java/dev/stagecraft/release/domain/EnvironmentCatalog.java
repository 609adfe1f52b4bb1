package dev.stagecraft.release.domain;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.api.EnvironmentRequest;
import dev.stagecraft.contracts.cdevents.CdEvents;
import dev.stagecraft.release.bake.BakeTime;
import dev.stagecraft.release.cdevents.CdEventOutbox;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.secrets.StoredSecrets;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Environments (stages): order, promotion rule, approvals, windows, freezes, variables and concurrency. */
@ApplicationScoped
public class EnvironmentCatalog {
    private final AuditLog audit;
    private final Clock clock;
    private final StoredSecrets secrets;
    private final CdEventOutbox cdEvents;

    public EnvironmentCatalog(AuditLog audit, Clock clock, StoredSecrets secrets, CdEventOutbox cdEvents) {
        this.cdEvents = cdEvents;
        this.audit = audit;
        this.clock = clock;
        this.secrets = secrets;
    }

    /** Replaces the environment (or creates it) and audits what changed, in one transaction. */
    @WithTransaction
    public Uni<EnvironmentEntity> put(String name, EnvironmentRequest request, String actor) {
        return EnvironmentEntity.<EnvironmentEntity>findById(name).chain(existing -> {
            EnvironmentValidation.Checked checked = EnvironmentValidation.check(name, request,
                    existing == null ? Map.of() : existing.secrets);
            // Sealed before anything is written; without a key this is the 422 that says so.
            Map<String, String> sealedSecrets = secrets.forStorage(name, checked.secrets(),
                    existing == null ? Map.of() : existing.secrets);
            return requirePrerequisite(request.requiresSuccessIn()).chain(() -> {
                EnvironmentChanges.Snapshot before = EnvironmentChanges.Snapshot.of(existing);
                EnvironmentEntity env = existing != null ? existing : new EnvironmentEntity();
                env.name = name;
                env.position = request.order();
                env.requiresSuccessIn = request.requiresSuccessIn();
                env.config = request.config() == null ? Map.of() : request.config();
                env.requiresApproval = Boolean.TRUE.equals(request.requiresApproval());
                env.windows = JsonText.write(checked.windows());
                env.freezes = JsonText.write(checked.freezes());
                env.secrets = sealedSecrets;
                env.concurrency = request.concurrency() == null ? ConcurrencyMode.REJECT.wire() : request.concurrency();
                env.concurrencyByService = request.concurrencyByService() == null ? Map.of()
                        : request.concurrencyByService();
                env.bakeTime = BakeTime.stored(request.bakeTime());
                env.updatedAt = clock.instant();
                Map<String, Object> details = new LinkedHashMap<>();
                List<EnvironmentChanges.Change> changes = EnvironmentChanges.between(before,
                        EnvironmentChanges.Snapshot.of(env));
                details.put("created", existing == null);
                details.put("changes", changes);
                Uni<EnvironmentEntity> stored = existing != null ? Uni.createFrom().item(env) : env.persist();
                return stored.call(() -> audit.record(actor, "environment.put", AuditLog.ENVIRONMENT, name, details))
                        .call(() -> told(name, existing == null, changes));
            });
        });
    }

    /** The CDEvent names the environment only (its variables may be secret); a PUT that changes nothing is none. */
    private Uni<Void> told(String name, boolean created, List<EnvironmentChanges.Change> changes) {
        if (created) {
            return cdEvents.publish(CdEvents.environmentCreated(name));
        }
        return changes.isEmpty() ? Uni.createFrom().voidItem() : cdEvents.publish(CdEvents.environmentModified(name));
    }

    @WithSession
    public Uni<List<EnvironmentEntity>> list() {
        return EnvironmentEntity.list("order by position, name");
    }

    /** The concurrency mode for {@code service}: its own entry, else the environment's. */
    public static ConcurrencyMode modeFor(EnvironmentEntity env, String service) {
        String mode = env.concurrencyByService.getOrDefault(service, env.concurrency);
        return ConcurrencyMode.parse(mode).orElse(ConcurrencyMode.REJECT);
    }

    private static Uni<Void> requirePrerequisite(String requiresSuccessIn) {
        if (requiresSuccessIn == null) {
            return Uni.createFrom().voidItem();
        }
        return EnvironmentEntity.<EnvironmentEntity>findById(requiresSuccessIn).invoke(found -> {
            if (found == null) {
                throw ApiProblem.unprocessable("the environment refers to an unknown environment",
                        List.of(new Problem.Violation("requiresSuccessIn",
                                "environment '" + requiresSuccessIn + "' does not exist")));
            }
        }).replaceWithVoid();
    }
}
