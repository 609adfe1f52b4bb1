package dev.stagecraft.rollout.strategy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.stagecraft.contracts.ReleaseSpec;

/**
 * A saga's {@link SagaState#previous} as it is stored: each distinct release once, and each instance as the index of
 * its release, {@code {"releases": [spec, …], "instances": {"i-a": 0, …}}}. A fleet runs one or a few releases, so a
 * fleet of 10,000 stores one spec (about 0.9 KB) and 10,000 indexes instead of 10,000 specs (about 3.5 MB of JSON
 * that every event of the saga read and wrote again). Reads the shape stored before too, a map of instance id to
 * spec, so a saga in flight across an upgrade keeps what its rollback restores. In memory it stays a map of
 * instance id to spec, in the instances' order; instances of one release share one spec object.
 */
public final class ReleasesByInstance {
    static final String RELEASES = "releases";
    static final String INSTANCES = "instances";

    /** The stored shape of {@code previous}: each distinct release once, each instance as the index of its release. */
    public record Compact(List<ReleaseSpec> releases, Map<String, Integer> instances) {
    }

    /** Groups the instances by release, in the order the releases first appear. */
    public static Compact compact(Map<String, ReleaseSpec> byInstance) {
        Map<ReleaseSpec, Integer> index = new LinkedHashMap<>();
        Map<String, Integer> instances = new LinkedHashMap<>();
        byInstance.forEach((id, release) -> instances.put(id, index.computeIfAbsent(release, r -> index.size())));
        return new Compact(new ArrayList<>(index.keySet()), instances);
    }

    /** The map again; an index that names no release is a broken document, not a missing release. */
    public static Map<String, ReleaseSpec> expand(Compact compact) {
        Map<String, ReleaseSpec> byInstance = new LinkedHashMap<>();
        compact.instances().forEach((id, i) -> {
            if (i == null || i < 0 || i >= compact.releases().size()) {
                throw new IllegalArgumentException("instance " + id + " names release " + i + " of "
                        + compact.releases().size());
            }
            byInstance.put(id, compact.releases().get(i));
        });
        return byInstance;
    }

    /** Writes the compact shape. */
    public static final class Writer extends JsonSerializer<Map<String, ReleaseSpec>> {
        @Override
        public void serialize(Map<String, ReleaseSpec> value, JsonGenerator out, SerializerProvider provider)
                throws IOException {
            Compact compact = compact(value);
            out.writeStartObject();
            out.writeFieldName(RELEASES);
            provider.defaultSerializeValue(compact.releases(), out);
            out.writeFieldName(INSTANCES);
            out.writeStartObject();
            for (Map.Entry<String, Integer> e : compact.instances().entrySet()) {
                out.writeNumberField(e.getKey(), e.getValue());
            }
            out.writeEndObject();
            out.writeEndObject();
        }
    }

    /** Reads the compact shape, or the map of instance id to spec stored before it. */
    public static final class Reader extends JsonDeserializer<Map<String, ReleaseSpec>> {
        @Override
        public Map<String, ReleaseSpec> deserialize(JsonParser in, DeserializationContext context) throws IOException {
            ObjectMapper mapper = (ObjectMapper) in.getCodec();
            JsonNode node = mapper.readTree(in);
            if (node == null || node.isNull()) {
                return new LinkedHashMap<>();
            }
            if (isCompact(node)) {
                List<ReleaseSpec> releases = new ArrayList<>();
                for (JsonNode release : node.get(RELEASES)) {
                    releases.add(mapper.treeToValue(release, ReleaseSpec.class));
                }
                Map<String, Integer> instances = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = node.get(INSTANCES).fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> e = fields.next();
                    instances.put(e.getKey(), e.getValue().isInt() ? e.getValue().intValue() : null);
                }
                try {
                    return expand(new Compact(releases, instances));
                } catch (IllegalArgumentException e) {
                    throw context.weirdStringException(e.getMessage(), Map.class, "a broken previous map");
                }
            }
            // Stored before the compact shape: instance id to spec. Equal specs are shared, as after a compact read.
            Map<ReleaseSpec, ReleaseSpec> shared = new HashMap<>();
            Map<String, ReleaseSpec> byInstance = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                ReleaseSpec release = e.getValue().isNull() ? null : mapper.treeToValue(e.getValue(), ReleaseSpec.class);
                byInstance.put(e.getKey(), release == null ? null : shared.computeIfAbsent(release, r -> r));
            }
            return byInstance;
        }

        /** Instance ids never name a field "releases" holding an array: an old map cannot look compact. */
        private static boolean isCompact(JsonNode node) {
            return node instanceof ObjectNode && node.size() == 2 && node.path(RELEASES).isArray()
                    && node.path(INSTANCES).isObject();
        }
    }

    private ReleasesByInstance() {
    }
}
