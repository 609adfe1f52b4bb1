package dev.stagecraft.release.persistence;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** The current definition of one flag (table {@code flag}); its past is in {@link FlagHistoryEntity}. */
@Entity
@Table(name = "flag")
@IdClass(FlagId.class)
public class FlagEntity extends PanacheEntityBase {
    @Id
    public String service;
    @Id
    public String environment;
    @Id
    @Column(name = "flag_key")
    public String flagKey;
    /** JSON {variants, defaultVariant, state, rules} as validated. */
    public String definition;
    /** Optimistic: two concurrent changes of one flag cannot both commit. */
    @Version
    public long version;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "updated_by")
    public String updatedBy;
}
