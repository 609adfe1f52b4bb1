package dev.stagecraft.release.persistence;

import java.time.Instant;
import java.util.Map;

import dev.stagecraft.platform.persistence.StringMapConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A release is immutable: once written, no field changes. */
@Entity
@Table(name = "release")
public class ReleaseEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String service;
    public String version;
    @Column(name = "artifact_uri")
    public String artifactUri;
    @Column(name = "artifact_sha256")
    public String artifactSha256;
    /** How instances run the artifact: {@code java-jar}. */
    public String runtime;
    @Convert(converter = StringMapConverter.class)
    public Map<String, String> config;
    /** Database migrations the release runs, JSON list of ids such as "V12__add_orders". */
    public String migrations;
    /** Smoke checks of key functionality, JSON list of {@code SmokeCheck}s; null for releases made before them. */
    @Column(name = "smoke_checks")
    public String smokeChecks;
    @Column(name = "created_at")
    public Instant createdAt;

    public static Uni<ReleaseEntity> find(String service, String version) {
        return find("service = ?1 and version = ?2", service, version).firstResult();
    }
}
