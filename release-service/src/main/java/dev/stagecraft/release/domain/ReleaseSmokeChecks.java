package dev.stagecraft.release.domain;

import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.contracts.SmokeCheckRules;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.persistence.ReleaseEntity;

/** A release's smoke checks: validated when it is created, stored as JSON with it, and handed to its deployments. */
public final class ReleaseSmokeChecks {
    private static final TypeReference<List<SmokeCheck>> LIST = new TypeReference<>() {
    };
    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<SmokeCheck> of(ReleaseEntity release) {
        return release.smokeChecks == null ? List.of() : JsonText.read(release.smokeChecks, LIST);
    }

    /** The shared rules, and what only a JSON parser can tell: each expected value is JSON text. */
    static void check(Violations v, List<SmokeCheck> checks) {
        SmokeCheckRules.check(checks, "smokeChecks").forEach(p -> v.add(p.field(), p.message()));
        if (checks == null) {
            return;
        }
        for (int i = 0; i < checks.size(); i++) {
            if (checks.get(i) == null) {
                continue;
            }
            String at = "smokeChecks[" + i + "].expectJson.";
            checks.get(i).expectJson().forEach((pointer, expected) -> {
                if (expected != null && !isJson(expected)) {
                    v.add(at + pointer, "must be JSON text, e.g. \"[]\", \"3\" or \"\\\"ok\\\"\"; got " + expected);
                }
            });
        }
    }

    private static boolean isJson(String text) {
        try {
            return JSON.readTree(text) != null && !JSON.readTree(text).isMissingNode();
        } catch (Exception e) {
            return false;
        }
    }

    private ReleaseSmokeChecks() {
    }
}
