package dev.stagecraft.health.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Prometheus' {@code histogram_quantile} over cumulative buckets (upper bound → count), so that a
 * number measured here means what the same PromQL would answer: linear interpolation inside the bucket
 * the rank falls in, the highest finite bound when it falls in the +Inf bucket, NaN without a +Inf
 * bucket or without observations.
 */
public final class HistogramQuantile {

    public static double of(double q, NavigableMap<Double, Double> cumulative) {
        if (Double.isNaN(q) || cumulative.isEmpty() || cumulative.lastKey() != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        List<double[]> buckets = monotonic(cumulative);
        if (buckets.size() < 2) {
            return Double.NaN;
        }
        double observations = buckets.get(buckets.size() - 1)[1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < buckets.size() - 1 && buckets.get(b)[1] < rank) {
            b++;
        }
        if (b == buckets.size() - 1) {
            return buckets.get(b - 1)[0];
        }
        double end = buckets.get(b)[0];
        if (b == 0 && end <= 0) {
            return end;
        }
        double start = 0;
        double count = buckets.get(b)[1];
        if (b > 0) {
            start = buckets.get(b - 1)[0];
            count -= buckets.get(b - 1)[1];
            rank -= buckets.get(b - 1)[1];
        }
        return start + (end - start) * (rank / count);
    }

    /**
     * Counts made non-decreasing, as Prometheus does: buckets scraped at slightly different moments, or a
     * counter reset in one series, can leave a bucket below the one before it.
     */
    private static List<double[]> monotonic(NavigableMap<Double, Double> cumulative) {
        List<double[]> buckets = new ArrayList<>(cumulative.size());
        double max = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            max = Math.max(max, bucket.getValue());
            buckets.add(new double[] { bucket.getKey(), max });
        }
        return buckets;
    }

    private HistogramQuantile() {
    }
}
