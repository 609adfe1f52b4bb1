package dev.stagecraft.release.secrets;

import java.util.List;
import java.util.Map;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.security.Caller;
import dev.stagecraft.release.domain.AuditLog;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * Key rotation: after a new key is added to {@code STAGECRAFT_SECRETS_KEYS} and made primary, this re-seals every
 * stored secret with it, so that the old key can be dropped. Admins only; audited with the counts.
 */
@Path("/api/v1/admin/secrets")
@Authenticated
public class SecretsAdminResource {
    private final SecretsAtRest atRest;
    private final StoredSecrets stored;
    private final AuditLog audit;
    private final Caller caller;

    public SecretsAdminResource(SecretsAtRest atRest, StoredSecrets stored, AuditLog audit, Caller caller) {
        this.atRest = atRest;
        this.stored = stored;
        this.audit = audit;
        this.caller = caller;
    }

    /** 200 {sealedFromPlain, resealed, alreadyCurrent, unreadable, primaryKeyId}; 422 without a key. */
    @POST
    @Path("/reseal")
    public Uni<SecretsAtRest.Report> reseal() {
        caller.requireAdmin();
        if (!stored.configured()) {
            throw ApiProblem.unprocessable("there is no secrets key to re-seal with", List.of(new Problem.Violation(
                    "STAGECRAFT_SECRETS_KEYS", "set a key ring (or STAGECRAFT_SECRETS_KEY) on release-service")));
        }
        return atRest.reseal(report -> audit.record(caller.name(), "secrets.reseal", AuditLog.SYSTEM,
                "secrets", Map.of("primaryKeyId", report.primaryKeyId(), "sealedFromPlain", report.sealedFromPlain(),
                        "resealed", report.resealed(), "alreadyCurrent", report.alreadyCurrent(),
                        "unreadable", report.unreadable())));
    }
}
