package dev.stagecraft.health.probe;

/** The two questions asked of every changed instance. */
public enum ProbeKind {
    LIVENESS("liveness"),
    READINESS("readiness");

    private final String label;

    ProbeKind(String label) {
        this.label = label;
    }

    /** The name used in measurements, reasons and metric tags. */
    public String label() {
        return label;
    }

    public String path(ProbeConfig config) {
        return this == LIVENESS ? config.livenessPath() : config.readinessPath();
    }
}
