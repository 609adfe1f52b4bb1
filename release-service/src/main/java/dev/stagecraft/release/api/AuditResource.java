package dev.stagecraft.release.api;

import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import java.util.List;

import dev.stagecraft.release.domain.AuditLog;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** The audit log, read-only: no endpoint changes or removes an entry. */
@Path("/api/v1/audit")
@Authenticated
public class AuditResource {
    private final AuditLog audit;
    private final Caller caller;

    public AuditResource(AuditLog audit, Caller caller) {
        this.audit = audit;
        this.caller = caller;
    }

    /** Newest first; {@code subject} is an environment name, "service/version" or a deployment id; limit 1–1000 (100). */
    @GET
    public Uni<List<AuditEntryView>> list(@QueryParam("subject") String subject, @QueryParam("actor") String actor,
            @QueryParam("limit") String limit) {
        caller.requireViewer();
        return audit.list(subject, actor, limit).map(list -> list.stream().map(AuditEntryView::of).toList());
    }
}
