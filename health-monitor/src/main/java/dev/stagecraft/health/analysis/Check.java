package dev.stagecraft.health.analysis;

import dev.stagecraft.contracts.AnalysisMeasurement;

/**
 * One check of an analysis: the measurement as it is published, and its words for the verdict's reason
 * (what broke, why it cannot be judged, what passed, or why it was skipped; null when not worth saying).
 */
record Check(AnalysisMeasurement measurement, String words) {
    String result() {
        return measurement.result();
    }

    boolean is(String result) {
        return result.equals(measurement.result());
    }
}
