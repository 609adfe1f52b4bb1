package dev.stagecraft.router;

/** A fleet as the router knows it: one service in one environment, with one entry point. */
public record FleetKey(String service, String environment) {
    @Override
    public String toString() {
        return service + " in " + environment;
    }
}
