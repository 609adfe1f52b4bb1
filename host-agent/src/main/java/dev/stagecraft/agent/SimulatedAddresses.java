package dev.stagecraft.agent;

import java.util.BitSet;
import java.util.Optional;

/**
 * The loopback addresses of one simulated host's instances: host {@code 127.0.0.N} gives its instances
 * {@code 127.N.0.1} to {@code 127.N.255.254} (65,534 of them), so instances of different simulated hosts never
 * share an address, and none is a host's own address (those are all in {@code 127.0.0.0/16}). Linux answers all of
 * {@code 127.0.0.0/8} on the loopback interface without any setup. Each instance keeps its address for its life;
 * a forgotten instance's address is taken again by the next new one.
 */
final class SimulatedAddresses {
    static final int CAPACITY = 65_534;

    private final int network;
    private final BitSet taken = new BitSet(CAPACITY + 1);

    private SimulatedAddresses(int network) {
        this.network = network;
    }

    /** Empty unless the host address is {@code 127.0.0.N} with N from 1 to 255. */
    static Optional<SimulatedAddresses> forHost(String hostAddress) {
        String[] octets = hostAddress.split("\\.");
        if (octets.length != 4 || !octets[0].equals("127") || !octets[1].equals("0") || !octets[2].equals("0")) {
            return Optional.empty();
        }
        try {
            int last = Integer.parseInt(octets[3]);
            return last >= 1 && last <= 255 ? Optional.of(new SimulatedAddresses(last)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The lowest free address, now taken; empty when all 65,534 are. */
    synchronized Optional<String> take() {
        int index = taken.nextClearBit(1);
        if (index > CAPACITY) {
            return Optional.empty();
        }
        taken.set(index);
        return Optional.of(address(index));
    }

    /** Free for the next new instance; an address that is not one of this host's is ignored. */
    synchronized void release(String address) {
        indexOf(address).ifPresent(taken::clear);
    }

    synchronized int inUse() {
        return taken.cardinality();
    }

    boolean isOurs(String address) {
        return indexOf(address).isPresent();
    }

    private String address(int index) {
        return "127." + network + "." + (index >> 8) + "." + (index & 0xff);
    }

    private Optional<Integer> indexOf(String address) {
        String[] octets = address == null ? new String[0] : address.split("\\.");
        if (octets.length != 4 || !octets[0].equals("127") || !octets[1].equals(Integer.toString(network))) {
            return Optional.empty();
        }
        try {
            int high = Integer.parseInt(octets[2]);
            int low = Integer.parseInt(octets[3]);
            if (high < 0 || high > 255 || low < 0 || low > 255) {
                return Optional.empty();
            }
            int index = (high << 8) | low;
            return index >= 1 && index <= CAPACITY ? Optional.of(index) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
