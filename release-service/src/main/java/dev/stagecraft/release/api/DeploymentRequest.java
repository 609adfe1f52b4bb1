package dev.stagecraft.release.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.contracts.StrategySpec;

/**
 * Body of POST /api/v1/deployments. {@code strategy} is a {@link StrategySpec} ({@code type} rolling,
 * canary or blue-green and that type's fields); it is kept as JSON here so that its validation can name
 * unknown fields and every field of the wrong type ({@code StrategyValidation}). {@code override} is an
 * admin's break-glass: it opens a closed deploy window or freeze for this one deployment, and its reason
 * goes to the gate and the audit log. {@code smokeChecks} are the deployment's own checks, run with the release's:
 * they add to them, and one named like a release's check (the same name, or method and path) replaces it.
 */
public record DeploymentRequest(String service, String version, String environment,
        @Schema(implementation = StrategySpec.class) JsonNode strategy, BreakGlass override,
        List<SmokeCheck> smokeChecks) {

    public record BreakGlass(String reason) {
    }
}
