package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.router.RouterException;



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
public final class HaproxyFleet {
    public static final String SLOT_PREFIX = "slot";

    /** An instance in a slot: {@code ip} is its host as HAProxy was given it. */
    public record Slot(int number, String instanceId, String ip, Backend backend) {
        public String server() {
            return SLOT_PREFIX + number;
        }
    }

    private final FleetKey key;
    private final String proxy;
    private final String bindAddress;
    private final int port;
    private int slotCount;
    private final Map<String, Slot> byInstance = new TreeMap<>();
    /**
     * Free slots, the longest free first: a slot that was just freed is taken last, so that a late answer of
     * the instance that left it is not labelled with the name of the instance that took it.
     */
    private final Deque<Integer> free = new ArrayDeque<>();

    /** A fleet on 127.0.0.1 (inventory-service's own HAProxy). */
    public HaproxyFleet(FleetKey key, String proxy, int port, int slotCount) {
        this(key, proxy, "127.0.0.1", port, slotCount);
    }

    /** A fleet whose entry point is {@code bindAddress:port} (a host agent's HAProxy binds its host's address). */
    public HaproxyFleet(FleetKey key, String proxy, String bindAddress, int port, int slotCount) {
        this.key = key;
        this.proxy = proxy;
        this.bindAddress = bindAddress;
        this.port = port;
        this.slotCount = slotCount;
        IntStream.rangeClosed(1, slotCount).forEach(free::add);
    }

    public FleetKey key() {
        return key;
    }

    /** The HAProxy proxy name (frontend and backend of a {@code listen} section). */
    public String proxy() {
        return proxy;
    }

    public String bindAddress() {
        return bindAddress;
    }

    public int port() {
        return port;
    }

    public int slotCount() {
        return slotCount;
    }

    public String url() {
        return "http://" + HaproxyAddresses.serverAddress(bindAddress, port);
    }

    /** {@code proxy/slotN}, as the runtime API names a server. */
    public String server(Slot slot) {
        return proxy + "/" + slot.server();
    }

    /** How many of {@code instanceIds} hold no slot yet: the free slots an update of them needs. */
    public int slotsNeededFor(Collection<String> instanceIds) {
        return (int) instanceIds.stream().filter(id -> !byInstance.containsKey(id)).count();
    }

    public int freeSlots() {
        return free.size();
    }

    /**
     * Adds slots up to {@code count}, to be written into the config (a reload makes them real). They were never used,
     * so they are taken before slots freed earlier.
     */
    public void growTo(int count) {
        for (int number = count; number > slotCount; number--) {
            free.addFirst(number);
        }
        slotCount = Math.max(slotCount, count);
    }

    /** Gives the instance this backend, in its own slot if it has one, else in a free one. */
    public Slot assign(String instanceId, Backend backend) {
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

    /**
     * Puts the instance in slot {@code number}, as HAProxy was found to have it (a host agent reads its HAProxy's slots
     * back after its own restart rather than remembering them).
     */
    public Slot place(int number, String instanceId, Backend backend) {
        if (number < 1 || number > slotCount || !free.remove(number)) {
            throw new RouterException("slot " + number + " of " + key + " is not free to place " + instanceId);
        }
        Slot slot = new Slot(number, instanceId, HaproxyAddresses.ip(backend.host()), backend);
        byInstance.put(instanceId, slot);
        return slot;
    }

    /** Frees the instance's slot, if it has one. */
    public Optional<Slot> release(String instanceId) {
        Slot slot = byInstance.remove(instanceId);
        if (slot != null) {
            free.add(slot.number());
        }
        return Optional.ofNullable(slot);
    }

    public Optional<Slot> slotOf(String instanceId) {
        return Optional.ofNullable(byInstance.get(instanceId));
    }

    public Collection<Slot> slots() {
        return List.copyOf(byInstance.values());
    }

    /** The instance in slot {@code number}, if any. */
    public Optional<Slot> slot(int number) {
        return byInstance.values().stream().filter(s -> s.number() == number).findFirst();
    }
}
