package dev.stagecraft.release.persistence;

import java.time.Instant;
import java.util.Map;

import dev.stagecraft.platform.persistence.StringMapConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

@Entity
@Table(name = "environment")
public class EnvironmentEntity extends PanacheEntityBase {
    @Id
    public String name;
    public int position;
    /** A version must have SUCCEEDED in this environment before it may be deployed here. */
    @Column(name = "requires_success_in")
    public String requiresSuccessIn;
    @Convert(converter = StringMapConverter.class)
    public Map<String, String> config;
    /** Deployments wait in AWAITING_APPROVAL until someone other than the requester approves them. */
    @Column(name = "requires_approval")
    public boolean requiresApproval;
    /** Deploy windows, JSON list of {@code WindowSpec}; none means always open. */
    public String windows;
    /** Freezes, JSON list of {@code FreezeSpec}. */
    public String freezes;
    /** Variables like config that the API never shows; they reach instances with the config. */
    @Convert(converter = StringMapConverter.class)
    public Map<String, String> secrets;
    /** {@code reject}, {@code queue} or {@code supersede}: see {@code ConcurrencyMode}. */
    public String concurrency;
    /** Per-service exceptions to {@link #concurrency}. */
    @Convert(converter = StringMapConverter.class)
    @Column(name = "concurrency_by_service")
    public Map<String, String> concurrencyByService;
    /** How long a deployment is watched after its rollout before it is SUCCEEDED ({@code 30m}); null: no bake. */
    @Column(name = "bake_time")
    public String bakeTime;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    public long version;
}
