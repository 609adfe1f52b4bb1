package dev.stagecraft.release.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.contracts.StrategySpec;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Strategies are written without their empty fields: a strategy record holds the fields of every type, and
 * a rolling deployment shown with {@code "steps": null, "replicas": null, ...} reads as if it had them.
 * Readers lose nothing, since a field left out is read as null. The contracts module has no Jackson, so
 * the rule is attached here.
 */
@Singleton
public class CompactStrategies implements ObjectMapperCustomizer {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    interface WithoutNulls {
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(StrategySpec.class, WithoutNulls.class);
        mapper.addMixIn(StrategySpec.CanaryStep.class, WithoutNulls.class);
        mapper.addMixIn(AnalysisSpec.class, WithoutNulls.class);
    }
}
