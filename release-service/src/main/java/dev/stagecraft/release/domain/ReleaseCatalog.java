package dev.stagecraft.release.domain;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.ReleaseCreated;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.contracts.cdevents.CdEvents;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.platform.artifact.ArtifactException;
import dev.stagecraft.platform.artifact.ArtifactFetcher;
import dev.stagecraft.platform.artifact.Artifacts;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.platform.persistence.UniqueViolation;
import dev.stagecraft.release.api.ReleaseRequest;
import dev.stagecraft.release.cdevents.CdEventOutbox;
import dev.stagecraft.release.persistence.ReleaseEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Releases: immutable (service, version, artifact, config) records. */
@ApplicationScoped
public class ReleaseCatalog {
    private final Outbox outbox;
    private final AuditLog audit;
    private final Clock clock;
    private final Vertx vertx;
    private final boolean verifyArtifact;
    private final ArtifactFetcher artifacts;
    private final CdEventOutbox cdEvents;

    public ReleaseCatalog(Outbox outbox, AuditLog audit, Clock clock, Vertx vertx, Artifacts artifacts,
            @ConfigProperty(name = "stagecraft.releases.verify-artifact", defaultValue = "true") boolean verifyArtifact,
            CdEventOutbox cdEvents) {
        this.cdEvents = cdEvents;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
        this.vertx = vertx;
        this.verifyArtifact = verifyArtifact;
        this.artifacts = artifacts.fetcher();
    }

    /** Validates, checks the artifact against its sha256, then stores the release and announces it. */
    public Uni<ReleaseEntity> create(ReleaseRequest request, String actor) {
        ReleaseValidation.check(request).throwIfAny("the release is not valid");
        return verifyArtifact(request.artifact()).chain(() -> store(request, actor))
                .onFailure(UniqueViolation::is).transform(t -> duplicate(request));
    }

    @WithTransaction
    Uni<ReleaseEntity> store(ReleaseRequest request, String actor) {
        return ReleaseEntity.find(request.service(), request.version()).chain(existing -> {
            if (existing != null) {
                throw duplicate(request);
            }
            ReleaseEntity release = new ReleaseEntity();
            release.id = UUID.randomUUID().toString();
            release.service = request.service();
            release.version = request.version();
            release.artifactUri = request.artifact().uri();
            release.artifactSha256 = request.artifact().sha256().toLowerCase(java.util.Locale.ROOT);
            release.runtime = request.runtime() == null ? ReleaseSpec.JAVA_JAR : request.runtime();
            release.config = request.config() == null ? Map.of() : request.config();
            release.migrations = JsonText.write(request.migrations() == null ? List.of() : request.migrations());
            release.smokeChecks = JsonText.write(request.smokeChecks() == null ? List.of() : request.smokeChecks());
            release.createdAt = clock.instant();
            ReleaseCreated event = new ReleaseCreated(release.service, release.version,
                    new ArtifactRef(release.artifactUri, release.artifactSha256), release.config, release.createdAt,
                    release.runtime);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("artifact", event.artifact());
            details.put("config", release.config);
            details.put("migrations", ReleaseMigrations.of(release));
            details.put("smokeChecks", ReleaseSmokeChecks.shown(ReleaseSmokeChecks.of(release)));
            return release.<ReleaseEntity>persist()
                    .call(() -> outbox.add(Topics.RELEASES, release.service, EventTypes.RELEASE_CREATED, event))
                    .call(() -> cdEvents.publish(CdEvents.artifactPublished(release.service,
                            CdEventOutbox.artifactId(release), actor)))
                    .call(() -> audit.record(actor, "release.created", AuditLog.RELEASE,
                            release.service + "/" + release.version, details));
        });
    }

    @WithSession
    public Uni<List<ReleaseEntity>> list(String service) {
        return service == null
                ? ReleaseEntity.list("order by service, createdAt")
                : ReleaseEntity.list("service = ?1 order by createdAt", service);
    }

    @WithSession
    public Uni<ReleaseEntity> get(String service, String version) {
        return ReleaseEntity.find(service, version).onItem().ifNull()
                .failWith(() -> ApiProblem.notFound("release " + service + " " + version + " does not exist"));
    }

    /**
     * The artifact must come from the store or an allowed source and hash to the sha256 given, or the release
     * would fail on every instance. Every refusal is the same 422 (see {@link ArtifactException}): a path outside
     * the sources, a missing file, an internal or unreachable URL and a wrong sha256 must look alike, or this
     * answer would tell a caller which files exist, what they hash to, and what internal URLs answer.
     */
    private Uni<Void> verifyArtifact(ReleaseRequest.Artifact artifact) {
        if (!verifyArtifact) {
            return Uni.createFrom().voidItem();
        }
        return vertx.executeBlocking(() -> {
            try {
                artifacts.fetchVerified(artifact.uri(), artifact.sha256());
                return null;
            } catch (ArtifactException e) {
                throw ApiProblem.unprocessable("the artifact cannot be used",
                        List.of(new Problem.Violation("artifact.uri", ArtifactException.REFUSAL)));
            }
        }, false).replaceWithVoid();
    }

    private static ApiProblem duplicate(ReleaseRequest request) {
        return ApiProblem.conflict("release " + request.service() + " " + request.version()
                + " already exists; releases are immutable, create a new version",
                List.of(new Problem.Violation("version", "already exists for service " + request.service())));
    }
}
