package dev.stagecraft.release.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.contracts.StrategySpec;

/**
 * Body of POST /api/v1/deployments. {@code strategy} is a {@link StrategySpec} ({@code type} rolling,
 * canary or blue-green and that type's fields); it is kept as JSON here so that its validation can name
 * unknown fields and every field of the wrong type ({@code StrategyValidation}). {@code override} is an
 * admin's break-glass: it opens a closed deploy window or freeze for this one deployment, and its reason
 * goes to the gate and the audit log.
 */
public record DeploymentRequest(String service, String version, String environment,
        @Schema(implementation = StrategySpec.class) JsonNode strategy, BreakGlass override) {

    public record BreakGlass(String reason) {
    }
}
