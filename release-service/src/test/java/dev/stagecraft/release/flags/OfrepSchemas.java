package dev.stagecraft.release.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The component schemas of the OFREP OpenAPI document (../shared/specs/ofrep/openapi.yaml beside the checkout), as
 * JSON Schema 2020-12 validators. One change, said here rather than hidden: the spec's value {@code oneOf} (boolean,
 * string, integer, float, object, codeDefault) can never hold for any value, because {@code codeDefaultFlag} has no
 * required property and so matches every object, and an integer is also a float; it is read as {@code anyOf}.
 * Everything else is the document as written (enums, required fields, types).
 */
public final class OfrepSchemas {
    static final Path SPEC = locate();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static JsonNode components;

    private OfrepSchemas() {
    }

    private static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("../shared/specs/ofrep/openapi.yaml").normalize();
            if (Files.exists(dir.resolve("mvnw")) && Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("../shared/specs/ofrep/openapi.yaml is not beside the checkout");
    }

    static synchronized JsonSchema schema(String name) {
        return SCHEMAS.computeIfAbsent(name, n -> {
            try {
                if (components == null) {
                    JsonNode doc = new YAMLMapper().readTree(SPEC.toFile());
                    ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas").deepCopy();
                    ArrayNode valueChoice = (ArrayNode) schemas.path("evaluationSuccess").path("allOf").get(1).get("oneOf");
                    ((ObjectNode) schemas.path("evaluationSuccess").path("allOf").get(1)).remove("oneOf");
                    ((ObjectNode) schemas.path("evaluationSuccess").path("allOf").get(1)).set("anyOf", valueChoice);
                    components = schemas;
                }
                ObjectNode root = JSON.createObjectNode();
                root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
                root.put("$ref", "#/components/schemas/" + n);
                root.putObject("components").set("schemas", components);
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read " + SPEC, e);
            }
        });
    }

    /** Fails the test, naming every schema violation, unless {@code body} is a valid {@code schemaName}. */
    public static void assertValid(String schemaName, String body) {
        try {
            JsonNode node = JSON.readTree(body);
            Set<ValidationMessage> problems = schema(schemaName).validate(node);
            assertEquals(Set.of(), problems, () -> schemaName + " does not hold for " + body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** The schema rejects this: proves the validator is actually checking, not passing everything. */
    static void assertInvalid(String schemaName, String body) {
        try {
            assertTrue(!schema(schemaName).validate(JSON.readTree(body)).isEmpty(),
                    () -> schemaName + " should refuse " + body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

}
