package dev.stagecraft.health.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.stagecraft.contracts.AnalysisRequest.Target;
import dev.stagecraft.health.analysis.AnalysisConfig;
import dev.stagecraft.health.http.Http;
import dev.stagecraft.health.provider.InstanceCounters.Traffic;
import dev.stagecraft.health.provider.PoolStats.Unreachable;
import io.smallrye.mutiny.Uni;

/**
 * Measures a pool from its instances' own metrics, no Prometheus server needed: a scrape of every
 * instance at the beginning, and at each look another scrape minus that one, summed over the pool.
 * An instance that could not be scraped at the beginning starts from its first successful scrape.
 */
public final class InstanceMetricProvider implements MetricProvider {
    private final HttpClient client;
    private final AnalysisConfig.Instances config;
    private final MetricNames names;

    public InstanceMetricProvider(AnalysisConfig.Instances config, MetricNames names) {
        this.client = Http.client(config.scrapeTimeout());
        this.config = config;
        this.names = names;
    }

    @Override
    public Uni<PoolWatch> begin(List<Target> pool) {
        Watch watch = new Watch(pool);
        return scrapeAll(pool).invoke(watch::remember).replaceWith(watch);
    }

    /** One instance's scrape: its counters, or why there are none. */
    private record Scrape(Target target, InstanceCounters counters, String error) {
    }

    private Uni<List<Scrape>> scrapeAll(List<Target> pool) {
        if (pool.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(pool.stream().map(this::scrape).toList()).andFailFast();
    }

    private Uni<Scrape> scrape(Target target) {
        URI uri;
        try {
            uri = URI.create("http://" + target.address() + config.metricsPath());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(new Scrape(target, null, "address is not host:port"));
        }
        return Http.getText(client, uri, config.scrapeTimeout())
                .map(response -> response.statusCode() == 200
                        ? new Scrape(target, InstanceCounters.parse(response.body(), names), null)
                        : new Scrape(target, null, config.metricsPath() + " answered HTTP " + response.statusCode()))
                // A page that is not Prometheus text says which line; anything else is the connection's fault.
                .onFailure().recoverWithItem(failure -> new Scrape(target, null,
                        failure instanceof IllegalArgumentException ? failure.getMessage()
                                : Http.describe(failure, config.scrapeTimeout())));
    }

    private final class Watch implements PoolWatch {
        private final List<Target> pool;
        private final Map<String, InstanceCounters> starts = new ConcurrentHashMap<>();

        Watch(List<Target> pool) {
            this.pool = pool;
        }

        /** Keeps each instance's first successful scrape as its starting point. */
        void remember(List<Scrape> scrapes) {
            scrapes.stream().filter(s -> s.counters() != null)
                    .forEach(s -> starts.putIfAbsent(s.target().address(), s.counters()));
        }

        @Override
        public Uni<PoolStats> sinceBegin() {
            return scrapeAll(pool).map(this::stats);
        }

        private PoolStats stats(List<Scrape> scrapes) {
            Traffic total = Traffic.NONE;
            List<Unreachable> unreachable = new ArrayList<>();
            for (Scrape scrape : scrapes) {
                if (scrape.counters() == null) {
                    unreachable.add(new Unreachable(scrape.target().instanceId(), scrape.target().address(),
                            scrape.error()));
                    continue;
                }
                InstanceCounters start = starts.putIfAbsent(scrape.target().address(), scrape.counters());
                if (start != null) {
                    total = total.plus(scrape.counters().since(start, names));
                }
            }
            double p99Seconds = HistogramQuantile.of(0.99, total.buckets());
            return new PoolStats(pool.size(), Math.round(total.requests()), Math.round(total.errors()),
                    p99Seconds * 1000, unreachable);
        }
    }
}
