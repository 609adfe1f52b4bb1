package dev.stagecraft.router;

/**
 * One instance as the router sees it: where it listens ({@code host:port}) and its share of the
 * fleet's traffic. Weights are relative: two instances at 100 get half each, and 0 gets nothing.
 */
public record Backend(String address, int weight) {
    public static final int MAX_WEIGHT = 100;

    public Backend {
        if (address == null || address.lastIndexOf(':') <= 0) {
            throw new IllegalArgumentException("a backend needs a host:port address, was " + address);
        }
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be between 0 and " + MAX_WEIGHT + ", was " + weight);
        }
    }

    public String host() {
        return address.substring(0, address.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
