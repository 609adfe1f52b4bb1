package dev.stagecraft.platform.coordination;

import org.jboss.logging.Logger;

/**
 * One leader among a service's replicas, for the work that must happen once at a time (periodic scans that send
 * commands, take-over after a restart): whoever holds the advisory lock {@code leader:<name>}. There is no term and no
 * renewal: the lock lives with the holder's database session, so the leader stays leader until it dies (its socket
 * closes and the lock is free at once) or its connection breaks. The others try again each time they ask.
 */
public final class LeaderLease {
    private static final Logger LOG = Logger.getLogger(LeaderLease.class);

    private final AdvisoryLocks locks;
    private final String name;
    private final long key;
    private boolean leading;

    public LeaderLease(AdvisoryLocks locks, String name) {
        this.locks = locks;
        this.name = name;
        this.key = AdvisoryLocks.key("leader", name);
    }

    /** Whether this replica leads now, taking the lead if it is free. Blocking (one short query). */
    public synchronized Turn take() {
        boolean was = leading;
        leading = locks.holds(key) || locks.tryLock(key);
        if (leading != was) {
            LOG.infof(leading ? "this replica now leads %s" : "this replica no longer leads %s", name);
        }
        return leading ? (was ? Turn.LEADS : Turn.BECAME_LEADER) : Turn.FOLLOWS;
    }

    /** Where this replica stands after {@link #take}. */
    public enum Turn {
        /** Another replica leads. */
        FOLLOWS,
        /** Leads since this call: the previous leader may have died in the middle of its work. */
        BECAME_LEADER,
        /** Led already. */
        LEADS;

        public boolean leads() {
            return this != FOLLOWS;
        }
    }

    /** Gives the lead up (at shutdown), so another replica takes it without waiting. */
    public synchronized void resign() {
        if (leading) {
            locks.release(key);
            leading = false;
        }
    }
}
