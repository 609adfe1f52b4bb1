package dev.stagecraft.platform.security;

import java.util.List;
import java.util.Set;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is asking, and what their bearer token lets them do. Roles come from the token's
 * {@code groups}: {@code viewer}, {@code deployer}, {@code approver}, {@code admin}; deployer and
 * approver may be scoped to one environment ({@code deployer:staging} does not reach production).
 * Every role can read; admin can do everything.
 */
@RequestScoped
public class Caller {
    public static final String VIEWER = "viewer";
    public static final String DEPLOYER = "deployer";
    public static final String APPROVER = "approver";
    public static final String ADMIN = "admin";

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String name() {
        return identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return roles().contains(ADMIN);
    }

    /** Reading: any Stagecraft role. */
    public void requireViewer() {
        boolean any = roles().stream().anyMatch(r -> r.equals(VIEWER) || r.equals(ADMIN) || r.equals(DEPLOYER)
                || r.equals(APPROVER) || r.startsWith(DEPLOYER + ":") || r.startsWith(APPROVER + ":"));
        require(any, "a Stagecraft role (viewer, deployer, approver or admin)");
    }

    public void requireAdmin() {
        require(isAdmin(), "the admin role");
    }

    /** Changing what runs in {@code environment}: deployer, deployer:{environment} or admin. */
    public void requireDeployer(String environment) {
        require(isAdmin() || roles().contains(DEPLOYER) || roles().contains(DEPLOYER + ":" + environment),
                "deployer or deployer:" + environment);
    }

    /** Work that is not bound to one environment (creating releases): a deployer of any scope. */
    public void requireAnyDeployer() {
        require(isAdmin() || roles().stream().anyMatch(r -> r.equals(DEPLOYER) || r.startsWith(DEPLOYER + ":")),
                "a deployer role");
    }

    /** Approving a deployment to {@code environment}: approver, approver:{environment} or admin. */
    public void requireApprover(String environment) {
        require(isAdmin() || roles().contains(APPROVER) || roles().contains(APPROVER + ":" + environment),
                "approver or approver:" + environment);
    }

    private Set<String> roles() {
        return identity.getRoles();
    }

    private void require(boolean allowed, String what) {
        if (!allowed) {
            throw new ApiProblem(403, "Forbidden", name() + " needs " + what + " for this",
                    List.of(new Problem.Violation("role", "has " + roles() + ", needs " + what)));
        }
    }
}
