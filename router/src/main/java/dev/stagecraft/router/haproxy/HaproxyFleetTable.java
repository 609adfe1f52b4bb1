package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.router.RouterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One fleet in an HAProxy of its own (a host agent's fleet router), driven as the router process's admin API is: a
 * whole table in one change, read back from HAProxy, generations that never go backwards, a weight 0 that waits,
 * bounded, until no session is in flight to that server, and any fleet size (the slots double, at most
 * {@link #MAX_SLOTS}, with a hitless reload).
 *
 * <p>Nothing is remembered here: each change starts from what HAProxy answers (its map names the instance in each
 * slot and the table's generation, {@code show servers state} where each slot sends and with which weight), so an agent
 * restarted next to a running HAProxy carries on from it. The config and map files are written with every change,
 * so that a reload, or a start after the process died, routes the last table from its first request. HAProxy checks
 * the config ({@code haproxy -c}) where it is about to load it (a start, a reload), not at a change made through the
 * runtime API: that check is a process of its own, and each change paid for one that nothing loaded.
 */
public final class HaproxyFleetTable {
    /** The map entry that holds the generation of the table routed (slot entries are {@code slotN}). */
    public static final String GENERATION_KEY = "generation";
    public static final int MIN_SLOTS = 32;
    /** roundrobin serves at most 4095 servers per backend. */
    public static final int MAX_SLOTS = 4095;
    private static final Duration POLL = Duration.ofMillis(20);

    /** The table HAProxy routes: instance → backend, and the slot each instance holds. */
    public record Routed(long generation, Map<String, Backend> backends, Map<String, Integer> slots, int slotCount) {
    }

    /** A table after a change, with the instances at weight 0 (or removed) still in flight after the drain bound. */
    public record Applied(Routed routed, List<String> busy) {
    }

    private final HaproxyMaster haproxy;
    private final FleetKey key;
    private final String proxy;
    private final String bindAddress;
    private final int port;
    private final Path files;
    private final HaproxyConfigFile.Settings settings;

    /** {@code files}: the directory of the config and map files; {@code proxy}: a name HAProxy takes. */
    public HaproxyFleetTable(HaproxyMaster haproxy, FleetKey key, String proxy, String bindAddress, int port, Path files,
            HaproxyConfigFile.Settings settings) {
        this.haproxy = haproxy;
        this.key = key;
        this.proxy = proxy;
        this.bindAddress = bindAddress;
        this.port = port;
        this.files = files;
        this.settings = settings;
    }

    public Path configFile() {
        return files.resolve("haproxy.cfg");
    }

    private Path mapFile() {
        return HaproxyConfigFile.mapFile(files, new HaproxyFleet(key, proxy, bindAddress, port, 1));
    }

    /** Writes (and has HAProxy check) the files a start loads: the table, every backend in a slot of its own. */
    public void writeStartFiles(long generation, Map<String, Backend> table) {
        HaproxyFleet fleet = new HaproxyFleet(key, proxy, bindAddress, port, slotsFor(table.size(), MIN_SLOTS));
        new TreeMap<>(table).forEach(fleet::assign);
        write(fleet, generation, true);
    }

    /** Read from HAProxy: each slot's instance (its map), address and weight; slots in maintenance route nothing. */
    public Routed read() {
        Map<String, String> map = parseMap(haproxy.stats().send("show map " + mapFile()));
        Map<String, HaproxyServerState> servers = HaproxyServerState.parse(haproxy.stats().send("show servers state "
                + proxy));
        Map<String, Backend> backends = new TreeMap<>();
        Map<String, Integer> slots = new TreeMap<>();
        servers.forEach((name, server) -> {
            String instance = map.getOrDefault(name, "-");
            if (!"-".equals(instance) && !server.inMaintenance() && name.startsWith(HaproxyFleet.SLOT_PREFIX)) {
                backends.put(instance, new Backend(HaproxyAddresses.serverAddress(server.address(), server.port()),
                        Math.min(Backend.MAX_WEIGHT, server.effectiveWeight())));
                slots.put(instance, Integer.parseInt(name.substring(HaproxyFleet.SLOT_PREFIX.length())));
            }
        });
        String generation = map.get(GENERATION_KEY);
        return new Routed(generation == null ? 0 : Long.parseLong(generation), backends, slots, servers.size());
    }

    /**
     * Routes {@code table} instead of what HAProxy routes now, unless that is of a newer generation; then waits, at
     * most {@code drain}, until no session is in flight to an instance at weight 0 or removed.
     */
    public Applied apply(long generation, Map<String, Backend> table, Duration drain) {
        Routed now = read();
        if (generation < now.generation()) {
            return new Applied(now, List.of());
        }
        HaproxyFleet fleet = new HaproxyFleet(key, proxy, bindAddress, port, now.slotCount());
        now.slots().forEach((id, slot) -> fleet.place(slot, id, now.backends().get(id)));
        List<String> leaving = now.backends().keySet().stream().filter(id -> !table.containsKey(id)).toList();
        int needed = fleet.slotsNeededFor(table.keySet());
        boolean grow = needed > fleet.freeSlots();
        if (grow) {
            int used = fleet.slotCount() - fleet.freeSlots();
            if (used + needed > MAX_SLOTS) {
                throw new RouterException("the haproxy router of " + key + " cannot hold " + (used + needed)
                        + " instances: at most " + MAX_SLOTS);
            }
            fleet.growTo(slotsFor(used + needed, fleet.slotCount()));
        }
        // New instances take free slots while the leaving ones still hold theirs: no slot changes hands mid-drain.
        List<HaproxyFleet.Slot> changed = new ArrayList<>();
        for (Map.Entry<String, Backend> entry : MakeBeforeBreak.order(table)) {
            HaproxyFleet.Slot slot = fleet.assign(entry.getKey(), entry.getValue());
            if (!entry.getValue().equals(now.backends().get(entry.getKey()))
                    || !Integer.valueOf(slot.number()).equals(now.slots().get(entry.getKey()))) {
                changed.add(slot);
            }
        }
        Map<String, HaproxyFleet.Slot> left = new TreeMap<>();
        leaving.forEach(id -> fleet.release(id).ifPresent(slot -> left.put(id, slot)));
        // Checked only when the reload below loads it: whoever starts this HAProxy again writes its start files
        // first (writeStartFiles, checked), and the runtime API below checks what it is given.
        write(fleet, generation, grow);
        HaproxyCli cli = haproxy.stats();
        if (grow) {
            // The new worker loads every slot from the file; the old one finishes what it had (counted below).
            haproxy.reload();
        } else {
            // highest weight first (MakeBeforeBreak): never a moment with every backend at 0
            for (HaproxyFleet.Slot slot : changed) {
                cli.set("set map " + mapFile() + " " + slot.server() + " " + slot.instanceId());
                cli.set("set server " + fleet.server(slot) + " addr " + slot.ip() + " port " + slot.backend().port());
                cli.set("set server " + fleet.server(slot) + " weight " + slot.backend().weight());
                cli.set("set server " + fleet.server(slot) + " state ready");
            }
            for (HaproxyFleet.Slot slot : left.values()) {
                cli.set("set server " + fleet.server(slot) + " state maint");
            }
            cli.set("set map " + mapFile() + " " + GENERATION_KEY + " " + generation);
        }
        Map<String, Integer> zero = new TreeMap<>();
        table.forEach((id, backend) -> {
            if (backend.weight() == 0) {
                fleet.slotOf(id).ifPresent(slot -> zero.put(id, slot.number()));
            }
        });
        left.forEach((id, slot) -> zero.put(id, slot.number()));
        List<String> busy = awaitIdle(zero, drain);
        if (!grow) {
            for (HaproxyFleet.Slot slot : left.values()) {
                // labelled until its last answer; then the slot is free for the next instance
                cli.set("set map " + mapFile() + " " + slot.server() + " -");
            }
        }
        return new Applied(read(), busy);
    }

    /** The proxy's stats rows (FRONTEND, BACKEND, each slot) from the current worker. */
    public Map<String, Map<String, String>> stats() {
        return HaproxyStatRows.parse(haproxy.stats().send("show stat " + proxy + " 7 -1"));
    }

    /** Sessions in flight per slot, in the current worker and in old ones still finishing after a reload. */
    public Map<String, Integer> sessions() {
        Map<String, Integer> sessions = new HashMap<>(HaproxySessions.parse(haproxy.stats().send("show stat " + proxy
                + " 4 -1")));
        for (long old : haproxy.processes().oldWorkers()) {
            haproxy.oldWorkerSessions(old, proxy).forEach((server, n) -> sessions.merge(server, n, Integer::sum));
        }
        return sessions;
    }

    private List<String> awaitIdle(Map<String, Integer> slots, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Integer> sessions = slots.isEmpty() ? Map.of() : sessions();
            Set<String> busy = new LinkedHashSet<>();
            slots.forEach((id, slot) -> {
                if (sessions.getOrDefault(HaproxyFleet.SLOT_PREFIX + slot, 0) > 0) {
                    busy.add(id);
                }
            });
            if (busy.isEmpty() || System.nanoTime() >= deadline) {
                return List.copyOf(busy);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.copyOf(busy);
            }
        }
    }

    /** Enough slots for {@code count}: {@code from} doubled until they are, at most {@link #MAX_SLOTS}. */
    static int slotsFor(int count, int from) {
        int slots = Math.max(1, from);
        while (slots < count) {
            slots *= 2;
        }
        return Math.min(MAX_SLOTS, slots);
    }

    /** The map file, then the config (checked by HAProxy if it is to be {@code loaded}), each renamed into place. */
    private void write(HaproxyFleet fleet, long generation, boolean loaded) {
        try {
            Files.createDirectories(files);
            Path map = HaproxyConfigFile.mapFile(files, fleet);
            Path mapNext = map.resolveSibling(map.getFileName() + ".next");
            Files.writeString(mapNext, HaproxyConfigFile.renderMap(fleet) + GENERATION_KEY + " " + generation + "\n",
                    StandardCharsets.UTF_8);
            Path next = configFile().resolveSibling("haproxy.cfg.next");
            Files.writeString(next, HaproxyConfigFile.render(settings, List.of(fleet), files), StandardCharsets.UTF_8);
            Files.move(mapNext, map, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (loaded) {
                haproxy.check(next);
            }
            Files.move(next, configFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RouterException("cannot write the HAProxy config of " + key + " in " + files + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code show map}: one entry a line, {@code <ref> <key> <value>}. */
    static Map<String, String> parseMap(String answer) {
        Map<String, String> entries = new HashMap<>();
        for (String line : answer.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 3 && fields[0].startsWith("0x")) {
                entries.put(fields[1], fields[2]);
            } else if (!line.isBlank()) {
                throw new RouterException("HAProxy answered no map: " + answer.strip());
            }
        }
        return entries;
    }
}
