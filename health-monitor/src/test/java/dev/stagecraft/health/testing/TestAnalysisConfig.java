package dev.stagecraft.health.testing;

import java.time.Duration;
import java.util.Map;

import dev.stagecraft.health.analysis.AnalysisConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@link AnalysisConfig} for tests without Quarkus: its real defaults, with the given properties on top. */
public final class TestAnalysisConfig {

    public static AnalysisConfig with(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(AnalysisConfig.class)
                // "2s" is Quarkus' way of writing durations, not plain SmallRye Config's.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(AnalysisConfig.class);
    }

    public static AnalysisConfig defaults() {
        return with(Map.of());
    }

    private TestAnalysisConfig() {
    }
}
