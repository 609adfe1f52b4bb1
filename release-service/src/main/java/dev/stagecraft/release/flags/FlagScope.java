package dev.stagecraft.release.flags;

/** The flags of one service in one environment: what an OFREP token may evaluate. */
public record FlagScope(String service, String environment) {
    @Override
    public String toString() {
        return service + "/" + environment;
    }
}
