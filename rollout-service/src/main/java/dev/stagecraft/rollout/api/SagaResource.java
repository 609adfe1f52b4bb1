package dev.stagecraft.rollout.api;

import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
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
public class SagaResource {

    @GET
    @Path("/{deploymentId}")
    @WithSession
    public Uni<SagaView> get(@PathParam("deploymentId") String deploymentId) {
        return SagaEntity.<SagaEntity>findById(deploymentId).onItem().ifNull()
                .failWith(() -> ApiProblem.notFound("no saga for deployment " + deploymentId))
                .chain(saga -> SagaDecision.<SagaDecision>list("deploymentId = ?1 order by id", deploymentId)
                        .map(decisions -> SagaView.of(saga, decisions)));
    }

    @GET
    @WithSession
    public Uni<List<SagaView>> list(@QueryParam("active") boolean activeOnly) {
        Uni<List<SagaEntity>> sagas = activeOnly
                ? SagaEntity.<SagaEntity>find("phase <> 'DONE' order by createdAt desc").page(0, 200).list()
                : SagaEntity.<SagaEntity>find("order by createdAt desc").page(0, 200).list();
        return sagas.map(list -> list.stream().map(s -> SagaView.of(s, List.of())).toList());
    }
}
