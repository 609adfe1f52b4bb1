package dev.stagecraft.release.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.domain.Gate;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;

public record DeploymentView(String id, String service, String version, String environment, StrategySpec strategy,
        String status, List<Step> timeline, List<String> reasons, List<Gate> gates, String requestedBy,
        Instant createdAt, Instant finishedAt) {

    public record Step(Instant at, String status, String event, String message) {
    }

    public static DeploymentView of(DeploymentEntity d, List<TimelineEntry> timeline) {
        return new DeploymentView(d.id, d.service, d.version, d.environment,
                JsonText.read(d.strategy, StrategySpec.class), d.status.name(),
                timeline.stream().map(t -> new Step(t.at, t.status, t.eventType, t.message)).toList(),
                JsonText.read(d.reasons, new TypeReference<List<String>>() {
                }),
                JsonText.read(d.gates, new TypeReference<List<Gate>>() {
                }),
                d.requestedBy, d.createdAt, d.finishedAt);
    }
}
