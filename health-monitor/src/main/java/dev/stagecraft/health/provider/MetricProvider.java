package dev.stagecraft.health.provider;

import java.util.List;

import dev.stagecraft.contracts.AnalysisRequest.Target;
import io.smallrye.mutiny.Uni;

/**
 * Where an analysis gets its numbers. {@link #begin} marks the start of a window for a pool; the watch
 * it answers then measures the pool's traffic since that moment, as often as asked. Items may be
 * emitted on any thread.
 */
public interface MetricProvider {
    Uni<PoolWatch> begin(List<Target> pool);

    /** One pool being watched since {@link MetricProvider#begin}. */
    interface PoolWatch {
        /**
         * The pool's traffic since the beginning. Instances that cannot be read are listed in the stats, not
         * failed; the Uni fails only when nothing could be measured at all (e.g. Prometheus did not answer).
         */
        Uni<PoolStats> sinceBegin();
    }
}
