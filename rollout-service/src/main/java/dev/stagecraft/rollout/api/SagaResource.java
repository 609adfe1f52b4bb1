package dev.stagecraft.rollout.api;

import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import dev.stagecraft.rollout.persistence.SagaDecision;
import dev.stagecraft.rollout.persistence.SagaEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/** Read-only views of the sagas: plan, current step, deadline and decision log. */
@Path("/api/v1/sagas")
@Authenticated
public class SagaResource {
    private final Caller caller;

    public SagaResource(Caller caller) {
        this.caller = caller;
    }

    @GET
    @Path("/{deploymentId}")
    @WithSession
    public Uni<SagaView> get(@PathParam("deploymentId") String deploymentId) {
        caller.requireViewer();
        return SagaEntity.<SagaEntity>findById(deploymentId).onItem().ifNull()
                .failWith(() -> ApiProblem.notFound("no saga for deployment " + deploymentId))
                .chain(saga -> SagaDecision.<SagaDecision>list("deploymentId = ?1 order by id", deploymentId)
                        .map(decisions -> SagaView.of(saga, decisions)));
    }

    @GET
    @WithSession
    public Uni<List<SagaView>> list(@QueryParam("active") boolean activeOnly) {
        caller.requireViewer();
        Uni<List<SagaEntity>> sagas = activeOnly
                ? SagaEntity.<SagaEntity>find("phase <> 'DONE' order by createdAt desc").page(0, 200).list()
                : SagaEntity.<SagaEntity>find("order by createdAt desc").page(0, 200).list();
        return sagas.map(list -> list.stream().map(s -> SagaView.of(s, List.of())).toList());
    }
}
