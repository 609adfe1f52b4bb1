package dev.stagecraft.release.persistence;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One approval or rejection of a deployment that waited for one. */
@Entity
@Table(name = "approval")
public class ApprovalEntity extends PanacheEntityBase {
    public static final String APPROVED = "APPROVED";
    public static final String REJECTED = "REJECTED";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "deployment_id")
    public String deploymentId;
    public String decision;
    public String actor;
    public Instant at;
    public String comment;

    public static ApprovalEntity of(String deploymentId, String decision, String actor, Instant at, String comment) {
        ApprovalEntity approval = new ApprovalEntity();
        approval.deploymentId = deploymentId;
        approval.decision = decision;
        approval.actor = actor;
        approval.at = at;
        approval.comment = comment;
        return approval;
    }
}
