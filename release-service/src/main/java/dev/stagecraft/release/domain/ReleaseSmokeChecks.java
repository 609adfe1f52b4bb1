package dev.stagecraft.release.domain;

import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.contracts.SmokeCheckRules;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.ReleaseEntity;

/**
 * Smoke checks of a release and of a deployment: validated when they are created, stored as JSON with them, combined
 * for the saga ({@link SmokeCheckRules#combined}: the deployment's add to the release's, and replace those named
 * alike), and shown with their header values masked.
 */
public final class ReleaseSmokeChecks {
    /** A POST's body, written as JSON: a smoke check is a small request, and it travels in every step's events. */
    static final int MAX_BODY = 2000;
    private static final TypeReference<List<SmokeCheck>> LIST = new TypeReference<>() {
    };
    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<SmokeCheck> of(ReleaseEntity release) {
        return read(release.smokeChecks);
    }

    /** The deployment's own checks (not its release's). */
    public static List<SmokeCheck> of(DeploymentEntity deployment) {
        return read(deployment.smokeChecks);
    }

    /** What the saga runs: the release's and the deployment's, combined. */
    public static List<SmokeCheck> combined(ReleaseEntity release, DeploymentEntity deployment) {
        return SmokeCheckRules.combined(of(release), of(deployment));
    }

    /** For views and the audit log: header values as {@code ***}. */
    public static List<SmokeCheck> shown(List<SmokeCheck> checks) {
        return checks.stream().map(SmokeCheck::withHeadersMasked).toList();
    }

    private static List<SmokeCheck> read(String json) {
        return json == null ? List.of() : JsonText.read(json, LIST);
    }

    /** The shared rules, and what only a JSON parser can tell: each expected value is JSON text, a body is small. */
    static void check(Violations v, List<SmokeCheck> checks) {
        SmokeCheckRules.check(checks, "smokeChecks").forEach(p -> v.add(p.field(), p.message()));
        if (checks == null) {
            return;
        }
        for (int i = 0; i < checks.size(); i++) {
            if (checks.get(i) == null) {
                continue;
            }
            String at = "smokeChecks[" + i + "].";
            checks.get(i).expectJson().forEach((pointer, expected) -> {
                if (expected != null && !isJson(expected)) {
                    v.add(at + "expectJson." + pointer, "must be JSON text, e.g. \"[]\", \"3\" or \"\\\"ok\\\"\"; got "
                            + expected);
                }
            });
            Object body = checks.get(i).body();
            if (body != null && written(body).length() > MAX_BODY) {
                v.add(at + "body", "at most " + MAX_BODY + " characters once written as JSON");
            }
        }
    }

    private static String written(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
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
