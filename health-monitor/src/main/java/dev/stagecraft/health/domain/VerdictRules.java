package dev.stagecraft.health.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.probe.ProbeKind;
import dev.stagecraft.health.smoke.SmokeCheckRunner;

/**
 * Turns what inventory-service reported and what the probes measured into a verdict. A step passes
 * only when every instance changed, every changed instance answered both probes, and every smoke check of its
 * release passed (a failed one is named with what it expected and got); anything else,
 * including a step with nothing to look at, fails, because a rollout must never advance on no evidence.
 */
public final class VerdictRules {
    /** Enough to act on; the full list is in the measurements. */
    static final int MAX_PROBLEMS_IN_REASON = 5;

    public static Judgement judge(List<InstanceOutcome> outcomes, List<ProbeMeasurement> measurements) {
        if (outcomes.isEmpty()) {
            return fail("nothing to verify: the step reported no instances");
        }
        List<String> problems = new ArrayList<>();
        outcomes.stream().filter(o -> !o.ok()).forEach(o -> problems.add(notChanged(o)));
        if (problems.size() == outcomes.size()) {
            return fail("nothing to verify: no instance was changed; " + summary(problems));
        }
        List<InstanceOutcome> changed = outcomes.stream().filter(InstanceOutcome::ok).toList();
        // Indexed once: a search of every measurement per instance was quadratic, seconds for a batch of 10,000.
        Map<String, List<ProbeMeasurement>> byInstance = measurements.stream().collect(Collectors.groupingBy(
                m -> String.valueOf(m.instanceId()), LinkedHashMap::new, Collectors.toList()));
        for (InstanceOutcome instance : changed) {
            List<ProbeMeasurement> own = byInstance.getOrDefault(String.valueOf(instance.instanceId()), List.of());
            for (ProbeKind kind : ProbeKind.values()) {
                Optional<ProbeMeasurement> m = own.stream().filter(x -> kind.label().equals(x.probe())).findFirst();
                if (m.isEmpty()) {
                    problems.add(kind.label() + " of " + name(instance.instanceId(), instance.address())
                            + " was not measured");
                } else if (!m.get().ok()) {
                    problems.add(failed(m.get()));
                }
            }
            // Only measured for a ready instance: a failed readiness probe is already the problem to name.
            own.stream().filter(m -> SmokeCheckRunner.isSmokeCheck(m) && !m.ok())
                    .forEach(m -> problems.add(m.probe() + " of " + name(m.instanceId(), m.address()) + " failed: "
                            + m.error()));
        }
        if (!problems.isEmpty()) {
            return fail(summary(problems));
        }
        long slowestReadiness = measurements.stream().filter(m -> ProbeKind.READINESS.label().equals(m.probe()))
                .mapToLong(ProbeMeasurement::elapsedMs).max().orElse(0);
        long smokeChecks = measurements.stream().filter(SmokeCheckRunner::isSmokeCheck).count();
        String checked = smokeChecks == 0 ? "" : ", " + smokeChecks + (smokeChecks == 1 ? " smoke check" : " smoke checks")
                + " passed";
        String reason = changed.size() == 1
                ? "instance " + name(changed.get(0).instanceId(), changed.get(0).address())
                        + " live and ready (readiness in " + seconds(slowestReadiness) + ")" + checked
                : "all " + changed.size() + " instances live and ready (readiness in " + seconds(slowestReadiness)
                        + " max)" + checked;
        return new Judgement(VerdictReached.PASS, reason);
    }

    private static String notChanged(InstanceOutcome o) {
        return name(o.instanceId(), o.address()) + " was not changed: "
                + (o.error() == null || o.error().isBlank() ? "inventory gave no reason" : o.error());
    }

    private static String failed(ProbeMeasurement m) {
        String tries = m.attempts() + (m.attempts() == 1 ? " attempt" : " attempts") + " over " + seconds(m.elapsedMs());
        String last = m.lastStatus() != null
                ? "last answer HTTP " + m.lastStatus()
                : "no answer" + (m.error() == null ? "" : ": " + m.error());
        return m.probe() + " of " + name(m.instanceId(), m.address()) + " failed: " + tries + ", " + last;
    }

    private static String summary(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        String shown = String.join("; ", problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_IN_REASON)));
        int hidden = problems.size() - MAX_PROBLEMS_IN_REASON;
        return problems.size() + " problems: " + shown + (hidden > 0 ? "; and " + hidden + " more" : "");
    }

    private static String name(String instanceId, String address) {
        return instanceId + " (" + address + ")";
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private static Judgement fail(String reason) {
        return new Judgement(VerdictReached.FAIL, reason);
    }

    private VerdictRules() {
    }
}
