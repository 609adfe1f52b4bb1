package dev.stagecraft.inventory.router;

import dev.stagecraft.router.FleetKey;

import dev.stagecraft.router.Backend;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * What the haproxy router remembers of one fleet: its HAProxy proxy (a {@code listen} section on its own
 * loopback port) and which server slot each instance holds, with the address and weight it was given.
 * This memory is what the config file is written from; the weights reported as applied are read from
 * HAProxy, never from here.
 */
final class HaproxyFleet {
    static final String SLOT_PREFIX = "slot";

    /** An instance in a slot: {@code ip} is its host as HAProxy was given it. */
    record Slot(int number, String instanceId, String ip, Backend backend) {
        String server() {
            return SLOT_PREFIX + number;
        }
    }

    private final FleetKey key;
    private final String proxy;
    private final int port;
    private int slotCount;
    private final Map<String, Slot> byInstance = new TreeMap<>();
    /**
     * Free slots, the longest free first: a slot that was just freed is taken last, so that a late answer of
     * the instance that left it is not labelled with the name of the instance that took it.
     */
    private final Deque<Integer> free = new ArrayDeque<>();

    HaproxyFleet(FleetKey key, String proxy, int port, int slotCount) {
        this.key = key;
        this.proxy = proxy;
        this.port = port;
        this.slotCount = slotCount;
        IntStream.rangeClosed(1, slotCount).forEach(free::add);
    }

    FleetKey key() {
        return key;
    }

    /** The HAProxy proxy name (frontend and backend of a {@code listen} section). */
    String proxy() {
        return proxy;
    }

    int port() {
        return port;
    }

    int slotCount() {
        return slotCount;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code proxy/slotN}, as the runtime API names a server. */
    String server(Slot slot) {
        return proxy + "/" + slot.server();
    }

    /** How many of {@code instanceIds} hold no slot yet: the free slots an update of them needs. */
    int slotsNeededFor(Collection<String> instanceIds) {
        return (int) instanceIds.stream().filter(id -> !byInstance.containsKey(id)).count();
    }

    int freeSlots() {
        return free.size();
    }

    /**
     * Adds slots up to {@code count}, to be written into the config (a reload makes them real). They were never used,
     * so they are taken before slots freed earlier.
     */
    void growTo(int count) {
        for (int number = count; number > slotCount; number--) {
            free.addFirst(number);
        }
        slotCount = Math.max(slotCount, count);
    }

    /** Gives the instance this backend, in its own slot if it has one, else in a free one. */
    Slot assign(String instanceId, Backend backend) {
        Slot old = byInstance.get(instanceId);
        Integer number = old != null ? Integer.valueOf(old.number()) : free.poll();
        if (number == null) {
            throw new RouterException("the haproxy router of " + key + " has no free slot for " + instanceId + ": all "
                    + slotCount + " are taken (grow it first: HaproxyRouter.update does)");
        }
        Slot slot = new Slot(number, instanceId, HaproxyAddresses.ip(backend.host()), backend);
        byInstance.put(instanceId, slot);
        return slot;
    }

    /** Frees the instance's slot, if it has one. */
    Optional<Slot> release(String instanceId) {
        Slot slot = byInstance.remove(instanceId);
        if (slot != null) {
            free.add(slot.number());
        }
        return Optional.ofNullable(slot);
    }

    Optional<Slot> slotOf(String instanceId) {
        return Optional.ofNullable(byInstance.get(instanceId));
    }

    Collection<Slot> slots() {
        return List.copyOf(byInstance.values());
    }

    /** The instance in slot {@code number}, if any. */
    Optional<Slot> slot(int number) {
        return byInstance.values().stream().filter(s -> s.number() == number).findFirst();
    }
}
