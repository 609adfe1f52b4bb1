package dev.stagecraft.platform.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is asking over REST, and what their bearer token lets them do. The rules themselves are
 * {@link Grants}, shared with callers that are not HTTP requests (commands read from Kafka).
 */
@RequestScoped
public class Caller {
    public static final String VIEWER = Grants.VIEWER;
    public static final String DEPLOYER = Grants.DEPLOYER;
    public static final String APPROVER = Grants.APPROVER;
    public static final String ADMIN = Grants.ADMIN;

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller's name and roles, judged by the same rules wherever they come from. */
    public Grants grants() {
        return new Grants(name(), identity.getRoles());
    }

    public String name() {
        return identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return grants().isAdmin();
    }

    /** Reading: any Stagecraft role. */
    public void requireViewer() {
        grants().requireViewer();
    }

    public void requireAdmin() {
        grants().requireAdmin();
    }

    /** Changing what runs in {@code environment}: deployer, deployer:{environment} or admin. */
    public void requireDeployer(String environment) {
        grants().requireDeployer(environment);
    }

    /** Work that is not bound to one environment (creating releases): a deployer of any scope. */
    public void requireAnyDeployer() {
        grants().requireAnyDeployer();
    }

    /** Approving a deployment to {@code environment}: approver, approver:{environment} or admin. */
    public void requireApprover(String environment) {
        grants().requireApprover(environment);
    }
}
