package dev.stagecraft.devinfra;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded load loop against one URL on a loopback address (127/8): a few threads send {@code GET} one after another until
 * {@code maxRequests} have been sent, {@code maxTime} has passed, or it is stopped, whichever comes first.
 * Every answer other than 200, and every exception, is a failure. Answers are counted by the instance
 * the router names ({@code X-Stagecraft-Instance}, failures included) and, when 200, by body. An optional pause between one thread's
 * requests keeps the load modest when the platform under test shares the machine's cores with it.
 */
public final class LoadLoop implements AutoCloseable {
    public record Result(int requests, int failed, Map<String, Integer> byInstance, Map<String, Integer> byBody,
            List<String> failures, Duration took) {
        private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

        /** The share of requests answered by {@code instance}, in percent. */
        public double percent(String instance) {
            return requests == 0 ? 0 : 100.0 * byInstance.getOrDefault(instance, 0) / requests;
        }

        /** Answers counted by the {@code "version"} their JSON body names (the sample app's {@code GET /}). */
        public Map<String, Integer> versions() {
            Map<String, Integer> versions = new TreeMap<>();
            byBody.forEach((body, count) -> {
                Matcher m = VERSION.matcher(body);
                versions.merge(m.find() ? m.group(1) : body, count, Integer::sum);
            });
            return versions;
        }

        /** The instances that answered, by how many answers. */
        public Map<String, Integer> instances() {
            return byInstance;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final int maxRequests;
    private final long deadline;
    private final long started = System.nanoTime();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger tickets = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Map<String, Integer> byInstance = new ConcurrentHashMap<>();
    private final Map<String, Integer> byBody = new ConcurrentHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Duration maxTime;
    private final Duration pause;

    private LoadLoop(String url, int threads, int maxRequests, Duration maxTime, Duration pause) {
        this.uri = URI.create(url);
        // Loopback only (127/8: the hosts of the agent driver listen on 127.0.0.2, 127.0.0.3, ...).
        if (uri.getHost() == null || !uri.getHost().matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("load loops only go to loopback addresses (127.x.y.z), not " + url);
        }
        this.maxRequests = maxRequests;
        this.maxTime = maxTime;
        this.pause = pause;
        this.deadline = started + maxTime.toNanos();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::loop, "load-loop-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
        }
    }

    /** Starts the loop in the background; {@link #stop()} ends it early. */
    public static LoadLoop start(String url, int threads, int maxRequests, Duration maxTime) {
        return start(url, threads, maxRequests, maxTime, Duration.ZERO);
    }

    /** As {@link #start(String, int, int, Duration)}, each thread pausing {@code pause} between requests. */
    public static LoadLoop start(String url, int threads, int maxRequests, Duration maxTime, Duration pause) {
        LoadLoop loop = new LoadLoop(url, threads, maxRequests, maxTime, pause);
        loop.threads.forEach(Thread::start);
        return loop;
    }

    /** Runs the loop to its end: {@code maxRequests} sent, or {@code maxTime} passed. */
    public static Result run(String url, int threads, int maxRequests, Duration maxTime) {
        try (LoadLoop loop = start(url, threads, maxRequests, maxTime)) {
            return loop.awaitEnd();
        }
    }

    private void loop() {
        while (!stopped.get() && System.nanoTime() < deadline && tickets.getAndIncrement() < maxRequests) {
            sent.incrementAndGet();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                // Counted by instance whatever the status: a bad canary's errors are traffic it took.
                response.headers().firstValue("X-Stagecraft-Instance")
                        .ifPresent(instance -> byInstance.merge(instance, 1, Integer::sum));
                if (response.statusCode() != 200) {
                    fail(response.statusCode() + " " + response.body());
                    continue;
                }
                byBody.merge(response.body().trim(), 1, Integer::sum);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                fail(e.toString());
            }
            if (!pause.isZero() && !pauseBetweenRequests()) {
                return;
            }
        }
    }

    private boolean pauseBetweenRequests() {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void fail(String why) {
        failed.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < 20) {
                failures.add(why);
            }
        }
    }

    /** Requests sent so far. */
    public int sent() {
        return sent.get();
    }

    /** Whether the loop has stopped by itself (all requests sent, or out of time). */
    public boolean exhausted() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    public Result awaitEnd() {
        for (Thread thread : threads) {
            try {
                thread.join(maxTime.plusSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (failures) {
            return new Result(sent.get(), failed.get(), new TreeMap<>(byInstance), new TreeMap<>(byBody),
                    List.copyOf(failures), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    public Result stop() {
        stopped.set(true);
        return awaitEnd();
    }

    @Override
    public void close() {
        stop();
    }
}
