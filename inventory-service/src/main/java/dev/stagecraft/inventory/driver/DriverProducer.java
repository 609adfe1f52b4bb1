package dev.stagecraft.inventory.driver;

import dev.stagecraft.platform.artifact.Artifacts;
import dev.stagecraft.platform.secrets.Secrets;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Chooses the instance driver from {@code stagecraft.driver.kind}; only local-process exists so far. */
@ApplicationScoped
public class DriverProducer {
    private InstanceDriver driver;

    @Produces
    @Singleton
    InstanceDriver driver(DriverConfig config, Secrets secrets, Artifacts artifacts,
            @ConfigProperty(name = "stagecraft.driver.kind", defaultValue = "local-process") String kind) {
        if (!kind.equals("local-process")) {
            throw new IllegalStateException("unknown stagecraft.driver.kind '" + kind + "'; available: local-process");
        }
        driver = new LocalProcessDriver(config, artifacts.fetcher(), secrets.box());
        return driver;
    }

    void stopInstances(@Observes ShutdownEvent event) {
        if (driver != null) {
            driver.stopAll();
        }
    }
}
