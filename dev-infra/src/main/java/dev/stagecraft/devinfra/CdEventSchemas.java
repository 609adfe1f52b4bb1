package dev.stagecraft.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * For tests: the CDEvents JSON Schemas (draft 2020-12) of {@code ../shared/specs/cdevents/schemas} beside the
 * checkout, every file registered under its own {@code $id} (file names differ from ids, and a schema's
 * {@code $ref} such as {@code links/embeddedlinksarray} resolves against its {@code $id}), with formats
 * (date-time, uri-reference, uri) asserted. The schemas are the spec's, read where they are, never copied.
 * Needs com.networknt:json-schema-validator on the test classpath (an optional dependency here).
 */
public final class CdEventSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CdEventSchemas instance;

    private final Path dir;
    /** context.type (e.g. dev.cdevents.service.deployed.0.3.0) → the schema of that event. */
    private final Map<String, JsonSchema> byType = new HashMap<>();

    private CdEventSchemas(Path dir) throws IOException {
        this.dir = dir;
        Map<String, String> byId = new HashMap<>();
        Map<String, String> typeToId = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                String text = Files.readString(file);
                JsonNode schema = JSON.readTree(text);
                String id = schema.path("$id").asText();
                byId.put(id, text);
                JsonNode type = schema.path("properties").path("context").path("properties").path("type").path("enum");
                if (type.size() == 1) {
                    typeToId.put(type.get(0).asText(), id);
                }
            }
        }
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders.schemas(byId)));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        typeToId.forEach((type, id) -> byType.put(type, factory.getSchema(SchemaLocation.of(id), config)));
    }

    /** The schemas beside this checkout, loaded once. */
    public static synchronized CdEventSchemas load() {
        if (instance == null) {
            try {
                instance = new CdEventSchemas(locate());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** The event types the spec's schemas define. */
    public Set<String> types() {
        return new TreeSet<>(byType.keySet());
    }

    /**
     * Every violation of {@code json} against the schema its {@code context.type} names, plus a mismatch with
     * {@code ceType} (the record's {@code ce_type}); empty when the CDEvent is valid.
     */
    public List<String> problems(String ceType, String json) {
        JsonNode event;
        try {
            event = JSON.readTree(json);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        String type = event.path("context").path("type").asText();
        JsonSchema schema = byType.get(type);
        if (schema == null) {
            return List.of("context.type '" + type + "' has no schema in " + dir);
        }
        List<String> problems = new java.util.ArrayList<>(schema.validate(event).stream()
                .map(ValidationMessage::getMessage).sorted().toList());
        if (!type.equals(ceType)) {
            problems.add("ce_type '" + ceType + "' is not context.type '" + type + "'");
        }
        return problems;
    }

    private static Path locate() {
        Path from = Path.of("").toAbsolutePath();
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/specs/cdevents/schemas").normalize();
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/specs/cdevents/schemas is not beside the checkout (looked up from "
                + from + ")");
    }
}
