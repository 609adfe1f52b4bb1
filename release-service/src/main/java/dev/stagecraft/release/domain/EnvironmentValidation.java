package dev.stagecraft.release.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.release.bake.BakeTime;
import dev.stagecraft.release.api.EnvironmentRequest;
import dev.stagecraft.release.api.FreezeSpec;
import dev.stagecraft.release.api.WindowSpec;
import dev.stagecraft.release.domain.window.ScheduleSpecs;

/** The shape rules of PUT /api/v1/environments/{name}; every broken rule is named. */
final class EnvironmentValidation {

    /** A request that passed: windows normalised, "***" secrets replaced by the values they keep. */
    record Checked(List<WindowSpec> windows, List<FreezeSpec> freezes, Map<String, String> secrets) {
    }

    static Checked check(String name, EnvironmentRequest request, Map<String, String> storedSecrets) {
        Violations v = new Violations();
        ReleaseValidation.checkServiceName(v, "name", name);
        if (request == null) {
            v.add("body", "an environment needs a JSON body with order");
            v.throwIfAny("the environment is not valid");
        }
        v.require(request.order() != null, "order", "is required: the environment's place in the promotion path");
        v.require(request.requiresSuccessIn() == null || !request.requiresSuccessIn().equals(name),
                "requiresSuccessIn", "an environment cannot require success in itself");
        ReleaseValidation.checkConfig(v, "config", request.config());
        ReleaseValidation.checkConfig(v, "secrets", request.secrets());
        Map<String, String> secrets = secrets(v, request, storedSecrets);
        List<WindowSpec> windows = ScheduleSpecs.checkWindows(v, request.windows());
        List<FreezeSpec> freezes = ScheduleSpecs.checkFreezes(v, request.freezes());
        if (request.concurrency() != null && ConcurrencyMode.parse(request.concurrency()).isEmpty()) {
            v.add("concurrency", unknownMode(request.concurrency()));
        }
        if (request.concurrencyByService() != null) {
            request.concurrencyByService().forEach((service, mode) -> {
                ReleaseValidation.checkServiceName(v, "concurrencyByService." + service, service);
                if (ConcurrencyMode.parse(mode).isEmpty()) {
                    v.add("concurrencyByService." + service, unknownMode(mode));
                }
            });
        }
        BakeTime.check(v, "bakeTime", request.bakeTime());
        v.throwIfAny("the environment is not valid");
        return new Checked(windows, freezes, secrets);
    }

    /** "***" keeps the stored value, so that a client can PUT back what it read with GET. */
    private static Map<String, String> secrets(Violations v, EnvironmentRequest request, Map<String, String> stored) {
        Map<String, String> resolved = new LinkedHashMap<>();
        if (request.secrets() == null) {
            return resolved;
        }
        request.secrets().forEach((key, value) -> {
            if (request.config() != null && request.config().containsKey(key)) {
                v.add("secrets." + key, "is also in config: a variable is either config or a secret");
            }
            if (SecretMask.MASK.equals(value)) {
                if (stored.containsKey(key)) {
                    resolved.put(key, stored.get(key));
                } else {
                    v.add("secrets." + key, "\"***\" keeps the stored value, but there is none: give the value");
                }
            } else {
                resolved.put(key, value);
            }
        });
        return resolved;
    }

    private static String unknownMode(String mode) {
        return "'" + mode + "' is not a concurrency mode: one of " + ConcurrencyMode.CHOICES;
    }

    private EnvironmentValidation() {
    }
}
