package dev.stagecraft.inventory.persistence;

import java.time.Instant;
import java.util.List;

import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.platform.persistence.JsonText;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.stagecraft.inventory.domain.InstanceState;

/** One running copy of a service: what it runs, where, and whether it takes traffic. */
@Entity
@Table(name = "instance")
public class InstanceEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String service;
    public String environment;
    public String version;
    @Column(name = "release_spec")
    public String releaseSpec;
    public String address;
    public Long pid;
    @Enumerated(EnumType.STRING)
    public InstanceState state;
    public String pool;
    public int weight;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    @Column(name = "row_version")
    public long rowVersion;

    public ReleaseSpec release() {
        return JsonText.read(releaseSpec, ReleaseSpec.class);
    }

    public void runs(ReleaseSpec release) {
        this.releaseSpec = JsonText.write(release);
        this.version = release.version();
    }

    /** Everything but the identity and the row version, as another copy of this instance holds it. */
    public void takeStateOf(InstanceEntity other) {
        this.service = other.service;
        this.environment = other.environment;
        this.version = other.version;
        this.releaseSpec = other.releaseSpec;
        this.address = other.address;
        this.pid = other.pid;
        this.state = other.state;
        this.pool = other.pool;
        this.weight = other.weight;
        this.lastError = other.lastError;
        this.updatedAt = other.updatedAt;
    }

    public static Uni<List<InstanceEntity>> ofFleet(String service, String environment) {
        return list("service = ?1 and environment = ?2 order by id", service, environment);
    }
}
