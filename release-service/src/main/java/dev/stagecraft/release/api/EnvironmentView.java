package dev.stagecraft.release.api;

import java.util.Map;

import dev.stagecraft.release.persistence.EnvironmentEntity;

public record EnvironmentView(String name, int order, String requiresSuccessIn, Map<String, String> config) {
    public static EnvironmentView of(EnvironmentEntity e) {
        return new EnvironmentView(e.name, e.position, e.requiresSuccessIn, e.config);
    }
}
