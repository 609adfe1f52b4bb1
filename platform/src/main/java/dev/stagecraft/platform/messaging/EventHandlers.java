package dev.stagecraft.platform.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;

/** Which handler applies which event type. Types a consumer has no handler for are other services' business. */
public final class EventHandlers {
    private final Map<String, Function<InboundEvent, Uni<Void>>> byType = new HashMap<>();
    private final Map<String, StagedHandler<?>> stagedByType = new HashMap<>();

    public EventHandlers on(String type, Function<InboundEvent, Uni<Void>> handler) {
        byType.put(type, handler);
        return this;
    }

    /** A handler with a slow part that must run outside the inbox transaction ({@link StagedHandler}). */
    public EventHandlers staged(String type, StagedHandler<?> handler) {
        stagedByType.put(type, handler);
        return this;
    }

    /** Whether events of {@code type} are handled here. */
    public boolean handles(String type) {
        return byType.containsKey(type) || stagedByType.containsKey(type);
    }

    Optional<StagedHandler<?>> stagedForType(String type) {
        return Optional.ofNullable(stagedByType.get(type));
    }

    Optional<Function<InboundEvent, Uni<Void>>> forType(String type) {
        return Optional.ofNullable(byType.get(type));
    }
}
