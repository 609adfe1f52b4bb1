package dev.stagecraft.health;

import java.util.ArrayList;
import java.util.List;

import dev.stagecraft.health.analysis.AnalysisConfig;
import dev.stagecraft.health.probe.ProbeConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stops the start when a count in the configuration is out of range (a limit of 0 probes in flight would
 * never probe). Checked by hand instead of with Bean Validation annotations: Hibernate Validator costs every
 * service about 300 loaded classes for these four numbers (docs/performance.md, "Resident memory").
 */
@ApplicationScoped
public class ConfigLimits {

    void onStart(@Observes StartupEvent event, ProbeConfig probes, AnalysisConfig analysis) {
        List<String> problems = problems(probes, analysis);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(ProbeConfig probes, AnalysisConfig analysis) {
        List<String> problems = new ArrayList<>();
        atLeast(problems, "stagecraft.probes.max-in-flight", probes.maxInFlight(), 1);
        atLeast(problems, "stagecraft.probes.consecutive-successes", probes.consecutiveSuccesses(), 1);
        atLeast(problems, "stagecraft.analysis.synthetic.max-requests", analysis.synthetic().maxRequests(), 0);
        atLeast(problems, "stagecraft.analysis.synthetic.max-in-flight", analysis.synthetic().maxInFlight(), 1);
        return problems;
    }

    private static void atLeast(List<String> problems, String property, int value, int minimum) {
        if (value < minimum) {
            problems.add(property + " must be at least " + minimum + ", not " + value);
        }
    }
}
