package dev.stagecraft.inventory.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.inventory.InventoryTestSupport;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.inventory.persistence.InstanceKeys;
import dev.stagecraft.inventory.persistence.StepAnswerEntity;
import dev.stagecraft.platform.persistence.JsonText;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * A step's record at the size of a large fleet: a provision of 1,200 instances (a one-row-per-call fold of about 200
 * never answered: see InstanceRows), then an update of all of them, then their removal, each with its answer.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class StepRecordsTest {
    private static final int FLEET = 1200; // more than one statement's worth of ids (InstanceRows.IDS_PER_STATEMENT)
    private static final String ENV = "staging";

    @Inject
    StepRecords records;

    @Test
    void aStepOfOverAThousandInstancesIsRecordedWithItsAnswer() throws Throwable {
        String service = InventoryTestSupport.uniqueService("big");
        String dep = "dep-" + UUID.randomUUID();
        ReleaseSpec v1 = release(service, "1.0.0");
        List<InstanceEntity> created = new ArrayList<>();
        for (int i = 0; i < FLEET; i++) {
            InstanceEntity row = new InstanceEntity();
            row.id = "i-" + UUID.randomUUID().toString().substring(0, 8);
            row.service = service;
            row.environment = ENV;
            row.pool = StepRequest.STABLE;
            row.runs(v1);
            row.state = InstanceState.STARTING;
            row.address = "127.2." + (i / 250) + "." + (i % 250 + 1) + ":40000";
            row.pid = 1L;
            row.updatedAt = Instant.now();
            created.add(row);
        }
        List<String> ids = created.stream().map(i -> i.id).toList();
        StepRequest provision = StepRequest.provision(dep, 1, service, ENV, FLEET, v1);
        record(provision, StepResult.of(EventTypes.INSTANCES_PROVISIONED, ok(ids, "1.0.0"), List.of())
                .withCreated(created, () -> Uni.createFrom().voidItem()));
        assertEquals(FLEET, answer(dep, 1).outcomes().size());
        assertEquals(FLEET, rows(service).size());
        // what the reconciler's pass reads of them: four columns each
        List<InstanceKeys.InstanceKey> keys = await(() -> Panache.withSession(InstanceKeys::notFailed)).stream()
                .filter(k -> k.service().equals(service)).toList();
        assertEquals(ids.stream().sorted().toList(), keys.stream().map(InstanceKeys.InstanceKey::id).toList());
        assertEquals(java.util.Set.of(List.of(ENV, "STARTING")), keys.stream()
                .map(k -> List.of(k.environment(), k.state().name())).collect(java.util.stream.Collectors.toSet()));

        // an update changes every row (copies read before the slow part) to the step's values
        ReleaseSpec v2 = release(service, "1.1.0");
        List<InstanceEntity> changed = rows(service);
        changed.forEach(i -> {
            i.runs(v2);
            i.state = InstanceState.OUT_OF_SERVICE;
        });
        record(StepRequest.forInstances(dep, 2, service, ENV, ids),
                StepResult.of(EventTypes.INSTANCES_UPDATED, ok(ids, "1.1.0"), changed));
        assertEquals(FLEET, answer(dep, 2).outcomes().size());
        assertEquals(Map.of("1.1.0", (long) FLEET), rows(service).stream().collect(
                java.util.stream.Collectors.groupingBy(i -> i.version, java.util.stream.Collectors.counting())));

        record(StepRequest.forInstances(dep, 3, service, ENV, ids),
                StepResult.of(EventTypes.INSTANCES_DECOMMISSIONED, ok(ids, "1.1.0"), List.of()).withRemoved(ids));
        assertEquals(FLEET, answer(dep, 3).outcomes().size());
        assertEquals(List.of(), rows(service));
    }

    private void record(StepRequest r, StepResult result) throws Throwable {
        // a step that never answers fails here instead of hanging the build
        await(() -> Panache.withTransaction(() -> records.record(r, result)));
    }

    private static <T> T await(Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> work.get().ifNoItem().after(Duration.ofSeconds(60)).fail());
    }

    private static InstancesChanged answer(String dep, int step) throws Throwable {
        StepAnswerEntity row = await(() -> Panache.withSession(
                () -> StepAnswerEntity.<StepAnswerEntity>findById(StepAnswerEntity.idOf(dep, step))));
        assertNotNull(row, "no answer to step " + step);
        return JsonText.read(row.payload, InstancesChanged.class);
    }

    private static List<InstanceEntity> rows(String service) throws Throwable {
        return await(() -> Panache.withSession(() -> InstanceEntity.ofFleet(service, ENV)));
    }

    private static List<InstanceOutcome> ok(List<String> ids, String version) {
        return ids.stream().map(id -> new InstanceOutcome(id, "127.0.0.1:1", version, true, null)).toList();
    }

    private static ReleaseSpec release(String service, String version) {
        return new ReleaseSpec(service, version, new ArtifactRef("file:/sample-app.jar", "a".repeat(64)), Map.of());
    }
}
