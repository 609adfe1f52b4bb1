package dev.stagecraft.release.flags;

import java.util.List;

import dev.stagecraft.release.persistence.FlagEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Fills the {@link FlagCache} from the database before the service answers (Flyway has run by then). */
@ApplicationScoped
public class FlagCacheLoader {
    private final FlagCache cache;

    public FlagCacheLoader(FlagCache cache) {
        this.cache = cache;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        List<FlagEntity> rows = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> FlagEntity.<FlagEntity>listAll()));
        cache.replaceAll(rows);
    }
}
