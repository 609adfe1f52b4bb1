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
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    public long version;
}
