package dev.stagecraft.health.analysis;

import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs reactive database work that starts on no Vert.x context of its own (a timer, an HTTP client's
 * thread, start-up) on a fresh duplicated context marked safe, which Hibernate Reactive sessions require.
 */
final class FreshContext {

    static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        // A context per subscription: a retry starts again on a clean one.
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> {
                Uni<T> uni;
                try {
                    uni = work.get();
                } catch (RuntimeException e) {
                    emitter.fail(e);
                    return;
                }
                uni.subscribe().with(emitter::complete, emitter::fail);
            });
        });
    }

    private FreshContext() {
    }
}
