package dev.stagecraft.platform.coordination;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's {@link AdvisoryLocks}, on a JDBC connection of their own to the service's database (the URL Flyway
 * uses), opened at first use. Created only in a service that injects it.
 */
@Singleton
public class AdvisoryLocksProducer {
    private final String url;
    private final String user;
    private final String password;

    public AdvisoryLocksProducer(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Produces
    @Singleton
    AdvisoryLocks locks() {
        return AdvisoryLocks.postgres(url, user, password);
    }

    void close(@Disposes AdvisoryLocks locks) {
        locks.close();
    }
}
