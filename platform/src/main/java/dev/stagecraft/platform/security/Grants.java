package dev.stagecraft.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;

/**
 * What a verified token lets its holder do: the role rules of every Stagecraft API, over a user name
 * and the token's {@code groups}. Pure, so that a request-scoped {@link Caller} (REST) and a command
 * read from Kafka are judged by the same rules. Roles: {@code viewer}, {@code deployer},
 * {@code approver}, {@code admin}; deployer and approver may be scoped to one environment
 * ({@code deployer:staging} does not reach production). Every role can read; admin can do everything.
 * A refusal is a 403 {@link ApiProblem} naming the role needed and the roles held.
 */
public final class Grants {
    public static final String VIEWER = "viewer";
    public static final String DEPLOYER = "deployer";
    public static final String APPROVER = "approver";
    public static final String ADMIN = "admin";

    private final String name;
    private final Set<String> roles;

    public Grants(String name, Collection<String> roles) {
        this.name = name;
        TreeSet<String> sorted = new TreeSet<>(); // sorted, so that refusals list the roles in a stable order
        if (roles != null) {
            roles.stream().filter(java.util.Objects::nonNull).forEach(sorted::add);
        }
        this.roles = java.util.Collections.unmodifiableSortedSet(sorted);
    }

    public String name() {
        return name;
    }

    public Set<String> roles() {
        return roles;
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    /** Reading: any Stagecraft role. */
    public void requireViewer() {
        boolean any = roles.stream().anyMatch(r -> r.equals(VIEWER) || r.equals(ADMIN) || r.equals(DEPLOYER)
                || r.equals(APPROVER) || r.startsWith(DEPLOYER + ":") || r.startsWith(APPROVER + ":"));
        require(any, "a Stagecraft role (viewer, deployer, approver or admin)");
    }

    public void requireAdmin() {
        require(isAdmin(), "the admin role");
    }

    /** Changing what runs in {@code environment}: deployer, deployer:{environment} or admin. */
    public void requireDeployer(String environment) {
        require(isAdmin() || roles.contains(DEPLOYER) || roles.contains(DEPLOYER + ":" + environment),
                "deployer or deployer:" + environment);
    }

    /** Work that is not bound to one environment (creating releases): a deployer of any scope. */
    public void requireAnyDeployer() {
        require(isAdmin() || roles.stream().anyMatch(r -> r.equals(DEPLOYER) || r.startsWith(DEPLOYER + ":")),
                "a deployer role");
    }

    /** Approving a deployment to {@code environment}: approver, approver:{environment} or admin. */
    public void requireApprover(String environment) {
        require(isAdmin() || roles.contains(APPROVER) || roles.contains(APPROVER + ":" + environment),
                "approver or approver:" + environment);
    }

    private void require(boolean allowed, String what) {
        if (!allowed) {
            throw new ApiProblem(403, "Forbidden", name + " needs " + what + " for this",
                    List.of(new Problem.Violation("role", "needs " + what + " (has " + roles + ")")));
        }
    }
}
