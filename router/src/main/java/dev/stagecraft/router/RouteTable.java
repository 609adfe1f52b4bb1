package dev.stagecraft.router;

import java.util.Map;
import java.util.TreeMap;

import io.vertx.core.json.JsonObject;

/**
 * A router process's whole table at one {@code generation}, as it travels on its admin API and is kept on disk:
 * {@code {"generation": 7, "backends": {"i-1": {"address": "127.0.0.2:4100", "weight": 100}}}}.
 */
public record RouteTable(long generation, Map<String, Backend> backends) {
    public static final RouteTable EMPTY = new RouteTable(0, Map.of());

    public RouteTable {
        backends = backends == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(backends));
    }

    /** Throws IllegalArgumentException (naming the field) for anything that is not a valid table. */
    public static RouteTable fromJson(JsonObject json) {
        Object generation = json.getValue("generation");
        if (!(generation instanceof Number n) || n.longValue() < 0) {
            throw new IllegalArgumentException("generation must be a number >= 0, was " + generation);
        }
        JsonObject backends = json.getJsonObject("backends", new JsonObject());
        Map<String, Backend> table = new TreeMap<>();
        for (String id : backends.fieldNames()) {
            JsonObject b = backends.getJsonObject(id);
            if (b == null || !(b.getValue("weight") instanceof Number weight)) {
                throw new IllegalArgumentException("backends." + id + " needs an address and a weight");
            }
            table.put(id, new Backend(b.getString("address"), weight.intValue()));
        }
        return new RouteTable(n.longValue(), table);
    }

    public JsonObject toJson() {
        JsonObject backends = new JsonObject();
        this.backends.forEach((id, b) -> backends.put(id, new JsonObject().put("address", b.address())
                .put("weight", b.weight())));
        return new JsonObject().put("generation", generation).put("backends", backends);
    }
}
