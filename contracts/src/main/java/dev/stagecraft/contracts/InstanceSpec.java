package dev.stagecraft.contracts;

/**
 * What a host agent runs as one instance: the release (artifact and config variables), in which
 * environment, and the {@code generation} of this spec. The controller raises the generation whenever it
 * changes what an instance should run; an agent ignores a spec older than the one it holds, so a late or
 * replayed command never undoes a newer one.
 */
public record InstanceSpec(String instanceId, String environment, ReleaseSpec release, long generation) {
}
