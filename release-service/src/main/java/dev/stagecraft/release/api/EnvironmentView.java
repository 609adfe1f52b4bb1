package dev.stagecraft.release.api;

import java.util.List;
import java.util.Map;

import dev.stagecraft.release.domain.SecretMask;
import dev.stagecraft.release.domain.window.ScheduleSpecs;
import dev.stagecraft.release.persistence.EnvironmentEntity;

/** An environment as the API shows it: every secret value is "***". */
public record EnvironmentView(String name, int order, String requiresSuccessIn, Map<String, String> config,
        boolean requiresApproval, List<WindowSpec> windows, List<FreezeSpec> freezes, Map<String, String> secrets,
        String concurrency, Map<String, String> concurrencyByService, String bakeTime) {
    public static EnvironmentView of(EnvironmentEntity e) {
        return new EnvironmentView(e.name, e.position, e.requiresSuccessIn, e.config, e.requiresApproval,
                ScheduleSpecs.readWindows(e.windows), ScheduleSpecs.readFreezes(e.freezes), SecretMask.mask(e.secrets),
                e.concurrency, e.concurrencyByService, e.bakeTime);
    }
}
