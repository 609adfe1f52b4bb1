package dev.stagecraft.inventory.domain;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.inventory.driver.InstanceDriver.HostedInstance;
import dev.stagecraft.router.FleetKey;

/**
 * Which instances the hosts report are orphans: processes left running for a fleet with no row in this service's
 * database, as a step cut short by the death of the replica running it leaves them (it had started them; their rows
 * were to be written with its result). Pure, for {@link OrphanSweep}.
 *
 * <p>An instance is an orphan only if all of these hold:
 * <ul>
 * <li>its report names its fleet (an older agent's does not: its fleet is unknown, so is whether a step in flight
 * owns it);</li>
 * <li>that fleet is held by the caller ({@link FleetLocks}): every step holds its fleet from its start until its
 * result, rows included, is written, so a held fleet has no step in flight anywhere, and an instance started by one
 * that has no row <em>yet</em> can only be reported for a fleet someone else holds;</li>
 * <li>no row has its id (read after the fleet was taken);</li>
 * <li>it is not GONE, and its host heartbeats (a lost host gets the stop when it comes back and reports it again;
 * asking it now would only wait for an answer that cannot come).</li>
 * </ul>
 */
public final class OrphanInstances {

    /** The orphans among {@code reported}, for the fleets in {@code held}, given the ids that have a row. */
    public static List<HostedInstance> of(Collection<HostedInstance> reported, Set<FleetKey> held,
            Set<String> withRow) {
        return reported.stream().filter(i -> isCandidate(i, withRow) && held.contains(fleetOf(i)))
                .sorted(java.util.Comparator.comparing(HostedInstance::instanceId)).toList();
    }

    /**
     * The fleets worth taking to sweep: those with an instance that would be an orphan if its fleet were held. Only a
     * first look, from rows read before any fleet is held; the decision is {@link #of}'s, from rows read under the
     * lock.
     */
    public static Set<FleetKey> fleetsToSweep(Collection<HostedInstance> reported, Set<String> withRow) {
        Set<FleetKey> fleets = new TreeSet<>(java.util.Comparator.comparing(FleetKey::service)
                .thenComparing(FleetKey::environment));
        reported.stream().filter(i -> isCandidate(i, withRow)).forEach(i -> fleets.add(fleetOf(i)));
        return fleets;
    }

    private static boolean isCandidate(HostedInstance i, Set<String> withRow) {
        return i.namesFleet() && i.hostAlive() && !InstanceStatus.GONE.equals(i.state())
                && !withRow.contains(i.instanceId());
    }

    private static FleetKey fleetOf(HostedInstance i) {
        return new FleetKey(i.service(), i.environment());
    }

    private OrphanInstances() {
    }
}
