package dev.stagecraft.sample;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The app's metrics, rendered in the Prometheus text exposition format 0.0.4.
 *
 * <p>Only {@code GET /} traffic is recorded: that is what canary analysis compares, and probes or
 * scrapes would dilute its error rate and latency.
 */
public final class Metrics {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String ROOT_PATH = "/";

    private final String version;
    private final Map<Integer, LongAdder> requestsByStatus = new ConcurrentSkipListMap<>();
    private final Map<String, LatencyHistogram> latencyByStatusClass = new ConcurrentSkipListMap<>();

    public Metrics(String version) {
        this.version = version;
        // Zero-valued series from the start, so rate() and error-ratio queries work before the first failure.
        requestsByStatus.put(200, new LongAdder());
        requestsByStatus.put(500, new LongAdder());
        latencyByStatusClass.put("2xx", new LatencyHistogram());
        latencyByStatusClass.put("5xx", new LatencyHistogram());
    }

    public void recordRootRequest(int status, long durationNanos) {
        requestsByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        latencyByStatusClass.computeIfAbsent(statusClass(status), c -> new LatencyHistogram())
                .observe(durationNanos / 1_000_000_000.0);
    }

    static String statusClass(int status) {
        return (status / 100) + "xx";
    }

    public String render() {
        StringBuilder out = new StringBuilder(2048);

        out.append("# HELP http_server_requests_total Requests to GET / by response status.\n");
        out.append("# TYPE http_server_requests_total counter\n");
        requestsByStatus.forEach((status, counter) -> out.append("http_server_requests_total{status=\"")
                .append(status).append("\",path=\"").append(ROOT_PATH).append("\"} ")
                .append(counter.sum()).append('\n'));

        out.append("# HELP http_server_request_duration_seconds Latency of GET / by response status class.\n");
        out.append("# TYPE http_server_request_duration_seconds histogram\n");
        latencyByStatusClass.forEach((statusClass, histogram) -> renderHistogram(out, statusClass, histogram.snapshot()));

        out.append("# HELP sample_app_info The version this instance runs.\n");
        out.append("# TYPE sample_app_info gauge\n");
        out.append("sample_app_info{version=\"").append(escapeLabel(version)).append("\"} 1\n");
        return out.toString();
    }

    private static void renderHistogram(StringBuilder out, String statusClass, LatencyHistogram.Snapshot snapshot) {
        String labels = "status_class=\"" + statusClass + "\",path=\"" + ROOT_PATH + "\"";
        long[] buckets = snapshot.cumulativeBuckets();
        for (int i = 0; i < buckets.length; i++) {
            out.append("http_server_request_duration_seconds_bucket{").append(labels)
                    .append(",le=\"").append(LatencyHistogram.BUCKET_LABELS.get(i)).append("\"} ")
                    .append(buckets[i]).append('\n');
        }
        out.append("http_server_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
                .append(snapshot.count()).append('\n');
        out.append("http_server_request_duration_seconds_sum{").append(labels).append("} ")
                .append(snapshot.sumSeconds()).append('\n');
        out.append("http_server_request_duration_seconds_count{").append(labels).append("} ")
                .append(snapshot.count()).append('\n');
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
