package dev.stagecraft.release.persistence;

import java.io.Serializable;
import java.util.Objects;

/** The key of a {@link FlagEntity}: one flag of one service in one environment. */
public class FlagId implements Serializable {
    public String service;
    public String environment;
    public String flagKey;

    public FlagId() {
    }

    public FlagId(String service, String environment, String flagKey) {
        this.service = service;
        this.environment = environment;
        this.flagKey = flagKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlagId other && Objects.equals(service, other.service)
                && Objects.equals(environment, other.environment) && Objects.equals(flagKey, other.flagKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, environment, flagKey);
    }
}
