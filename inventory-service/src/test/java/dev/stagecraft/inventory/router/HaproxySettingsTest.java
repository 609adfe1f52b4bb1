package dev.stagecraft.inventory.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@code stagecraft.router.haproxy.*} as the service reads it: defaults, and what can be set. */
class HaproxySettingsTest {
    private static RouterConfig config(Map<String, String> properties) {
        // as Quarkus reads it: system properties and the environment, and durations such as "1s"
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addSystemSources()
                .withConverter(Duration.class, 200, new DurationConverter()).withMapping(RouterConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return config.getConfigMapping(RouterConfig.class);
    }

    @Test
    void theDefaultsFindDebiansHaproxyAndAWorkDir() {
        HaproxyRouter.Settings settings = HaproxyRouter.Settings.of(config(Map.of()));
        assertEquals(Path.of("/usr/sbin/haproxy"), settings.binary());
        assertEquals(32, settings.slots());
        String stagecraftWorkDir = System.getenv("STAGECRAFT_WORK_DIR");
        Path expected = stagecraftWorkDir != null ? Path.of(stagecraftWorkDir, "haproxy")
                : Path.of(System.getProperty("java.io.tmpdir"), "stagecraft", "haproxy");
        assertEquals(expected, settings.workDir());
        assertTrue(settings.basePort().isEmpty());
    }

    @Test
    void everythingCanBeSet() {
        RouterConfig config = config(Map.of("stagecraft.router.kind", "haproxy",
                "stagecraft.router.haproxy.binary", "/opt/haproxy/sbin/haproxy",
                "stagecraft.router.haproxy.work-dir", "/var/lib/stagecraft/haproxy",
                "stagecraft.router.haproxy.slots", "64", "stagecraft.router.base-port", "41000"));
        HaproxyRouter.Settings settings = HaproxyRouter.Settings.of(config);
        assertEquals("haproxy", config.kind());
        assertEquals(Path.of("/opt/haproxy/sbin/haproxy"), settings.binary());
        assertEquals(Path.of("/var/lib/stagecraft/haproxy"), settings.workDir());
        assertEquals(64, settings.slots());
        assertEquals(41000, settings.basePort().getAsInt());
    }

    @Test
    void slotsAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> HaproxyRouter.Settings.of(config(Map.of(
                "stagecraft.router.haproxy.slots", "0"))));
    }
}
