package dev.stagecraft.router;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.http.HttpServer;

/**
 * One fleet's entry point: its backends and weights, and who has requests in flight. The table is
 * an immutable snapshot behind a volatile reference: requests read it without locks on the event
 * loop, changes (on worker threads) publish a new one, so a change of many weights (a blue/green
 * switch) is seen by every request as a whole, never half applied.
 */
public final class FleetProxy {
    /** A backend as routed now; {@code inFlight} belongs to one process (address) and follows it across weight changes. */
    record Routed(String instanceId, String address, int weight, AtomicInteger inFlight, Backend backend, String host,
            int port) {
        Routed(String instanceId, Backend backend, AtomicInteger inFlight) {
            // Host and port parsed once per table change, not per request.
            this(instanceId, backend.address(), backend.weight(), inFlight, backend, backend.host(), backend.port());
        }
    }

    private record Table(Map<String, Routed> backends, WeightedPicker picker) {
        static Table of(Map<String, Routed> backends) {
            Map<String, Integer> weights = new TreeMap<>();
            backends.forEach((id, b) -> weights.put(id, b.weight()));
            return new Table(Collections.unmodifiableMap(backends), new WeightedPicker(weights));
        }

        /** For the one retry after a refused connection: every backend but the one that refused. */
        WeightedPicker pickerWithout(String instanceId) {
            Map<String, Integer> weights = new TreeMap<>();
            backends.forEach((id, b) -> weights.put(id, id.equals(instanceId) ? 0 : b.weight()));
            return new WeightedPicker(weights);
        }
    }

    /** A request's claim on a backend: counted in flight until released, once. */
    final class Lease {
        private final Routed backend;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Routed backend) {
            this.backend = backend;
        }

        String instanceId() {
            return backend.instanceId();
        }

        Backend backend() {
            return backend.backend();
        }

        String host() {
            return backend.host();
        }

        int port() {
            return backend.port();
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                backend.inFlight().decrementAndGet();
            }
        }
    }

    private final FleetKey key;
    private volatile Table table = Table.of(Map.of());
    private volatile HttpServer server;

    private final String host;

    /** {@code host}: the address the entry point listens on, which its URL names. */
    public FleetProxy(FleetKey key, String host) {
        this.key = key;
        this.host = host;
    }

    public FleetKey key() {
        return key;
    }

    public void boundTo(HttpServer server) {
        this.server = server;
    }

    public HttpServer server() {
        return server;
    }

    public String url() {
        return "http://" + host + ":" + server.actualPort();
    }

    /** Adds these backends or changes their address and weight; the others keep theirs. */
    public synchronized void update(Map<String, Backend> changes) {
        Map<String, Routed> next = new TreeMap<>(table.backends());
        changes.forEach((id, b) -> next.put(id, routed(id, b, next.get(id))));
        table = Table.of(next);
    }

    /** Makes {@code backends} the whole table, in one change: backends not named are taken out. */
    public synchronized void replaceAll(Map<String, Backend> backends) {
        Map<String, Routed> next = new TreeMap<>();
        backends.forEach((id, b) -> next.put(id, routed(id, b, table.backends().get(id))));
        table = Table.of(next);
    }

    /** The same process keeps its count of requests in flight; a new address is a new process. */
    private static Routed routed(String id, Backend b, Routed old) {
        AtomicInteger inFlight = old != null && old.address().equals(b.address()) ? old.inFlight() : new AtomicInteger();
        return new Routed(id, b, inFlight);
    }

    public synchronized void remove(Collection<String> instanceIds) {
        Map<String, Routed> next = new TreeMap<>(table.backends());
        next.keySet().removeAll(instanceIds);
        table = Table.of(next);
    }

    public Map<String, Integer> appliedWeights() {
        Map<String, Integer> weights = new TreeMap<>();
        table.backends().forEach((id, b) -> weights.put(id, b.weight()));
        return weights;
    }

    /** The whole table as routed now: address and weight by instance id. */
    public Map<String, Backend> backends() {
        Map<String, Backend> backends = new TreeMap<>();
        table.backends().forEach((id, b) -> backends.put(id, new Backend(b.address(), b.weight())));
        return backends;
    }

    /** Requests in flight to each backend now. */
    public Map<String, Integer> inFlight() {
        Map<String, Integer> counts = new TreeMap<>();
        table.backends().forEach((id, b) -> counts.put(id, b.inFlight().get()));
        return counts;
    }

    /**
     * Claims a backend with weight above 0 (other than {@code excluded}), or answers null if there is none.
     *
     * <p>The claim is counted first and the weight checked after, against the newest table; a drain sets
     * the weight first and counts after. So either this request sees weight 0 and picks again, or the drain
     * sees it in flight and waits for it: a drained process never gets a request it is not waited for.
     */
    Lease lease(String excluded) {
        // Bounded: each turn means the table changed under this request, which weight changes do rarely.
        for (int attempt = 0; attempt < 10; attempt++) {
            Table current = table;
            WeightedPicker picker = excluded == null ? current.picker() : current.pickerWithout(excluded);
            String id = picker.pick(ThreadLocalRandom.current().nextDouble()).orElse(null);
            if (id == null) {
                return null;
            }
            Routed chosen = current.backends().get(id);
            chosen.inFlight().incrementAndGet();
            Routed now = table.backends().get(id);
            if (now != null && now.weight() > 0 && now.inFlight() == chosen.inFlight()) {
                return new Lease(now);
            }
            chosen.inFlight().decrementAndGet();
        }
        return null;
    }

    /** Waits, polling, until none of these instances has a request in flight; answers those that still do. */
    public Set<String> awaitIdle(Collection<String> instanceIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<String> busy = new LinkedHashSet<>();
            for (String id : instanceIds) {
                Routed b = table.backends().get(id);
                if (b != null && b.inFlight().get() > 0) {
                    busy.add(id);
                }
            }
            if (busy.isEmpty() || System.nanoTime() >= deadline) {
                return busy;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return busy;
            }
        }
    }
}
