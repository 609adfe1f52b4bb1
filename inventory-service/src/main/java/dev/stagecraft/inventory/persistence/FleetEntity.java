package dev.stagecraft.inventory.persistence;

import java.time.Instant;

import dev.stagecraft.platform.persistence.FleetId;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** The desired size of one service's fleet in one environment. */
@Entity
@Table(name = "fleet")
@IdClass(FleetId.class)
public class FleetEntity extends PanacheEntityBase {
    @Id
    public String service;
    @Id
    public String environment;
    public int replicas;
    /** The port of the fleet's router, chosen at its first opening and kept, so that its routerUrl never changes. */
    @Column(name = "router_port")
    public Integer routerPort;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    @Column(name = "row_version")
    public long rowVersion;

    public static Uni<FleetEntity> find(String service, String environment) {
        return findById(new FleetId(service, environment));
    }
}
