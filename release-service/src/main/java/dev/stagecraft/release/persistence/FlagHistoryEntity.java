package dev.stagecraft.release.persistence;

import java.time.Instant;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One change of a flag, append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
@Entity
@Immutable
@Table(name = "flag_history")
public class FlagHistoryEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String service;
    public String environment;
    @jakarta.persistence.Column(name = "flag_key")
    public String flagKey;
    public long version;
    /** put or delete. */
    public String action;
    public String before;
    public String after;
    public Instant at;
    public String actor;
}
