package dev.stagecraft.release.flags;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.stagecraft.release.persistence.FlagEntity;

/** A flag as the REST API shows it: where it lives, its definition, version and last change. */
final class FlagView {
    private FlagView() {
    }

    static ObjectNode of(FlagEntity flag, ObjectMapper mapper) {
        ObjectNode view = mapper.createObjectNode();
        view.put("service", flag.service);
        view.put("environment", flag.environment);
        view.put("key", flag.flagKey);
        try {
            view.setAll((ObjectNode) mapper.readTree(flag.definition));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored flag is not JSON", e);
        }
        view.put("version", flag.version);
        view.put("updatedAt", flag.updatedAt.toString());
        view.put("updatedBy", flag.updatedBy);
        return view;
    }
}
