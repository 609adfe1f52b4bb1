package dev.stagecraft.release.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.release.api.EnvironmentRequest;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Environments (stages): their order, promotion rule and config variables. */
@ApplicationScoped
public class EnvironmentCatalog {

    @WithTransaction
    public Uni<EnvironmentEntity> put(String name, EnvironmentRequest request) {
        Violations v = new Violations();
        ReleaseValidation.checkServiceName(v, "name", name);
        if (request == null) {
            v.add("body", "an environment needs a JSON body with order");
        } else {
            v.require(request.order() != null, "order", "is required: the environment's place in the promotion path");
            ReleaseValidation.checkConfig(v, "config", request.config());
            v.require(request.requiresSuccessIn() == null || !request.requiresSuccessIn().equals(name),
                    "requiresSuccessIn", "an environment cannot require success in itself");
        }
        v.throwIfAny("the environment is not valid");
        Uni<Void> prerequisite = request.requiresSuccessIn() == null ? Uni.createFrom().voidItem()
                : EnvironmentEntity.<EnvironmentEntity>findById(request.requiresSuccessIn()).invoke(found -> {
                    if (found == null) {
                        throw ApiProblem.unprocessable("the environment refers to an unknown environment",
                                List.of(new dev.stagecraft.platform.api.Problem.Violation("requiresSuccessIn",
                                        "environment '" + request.requiresSuccessIn() + "' does not exist")));
                    }
                }).replaceWithVoid();
        return prerequisite.chain(() -> EnvironmentEntity.<EnvironmentEntity>findById(name)).chain(existing -> {
            EnvironmentEntity env = existing != null ? existing : new EnvironmentEntity();
            env.name = name;
            env.position = request.order();
            env.requiresSuccessIn = request.requiresSuccessIn();
            env.config = request.config() == null ? Map.of() : request.config();
            env.updatedAt = Instant.now();
            return existing != null ? Uni.createFrom().item(env) : env.persist();
        });
    }

    @WithSession
    public Uni<List<EnvironmentEntity>> list() {
        return EnvironmentEntity.list("order by position, name");
    }
}
