package dev.stagecraft.release.flags;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.release.flags.engine.FlagDefinition;
import dev.stagecraft.release.flags.engine.FlagValidation;
import dev.stagecraft.release.persistence.FlagEntity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every flag definition, in memory, by scope: evaluations never touch the database. Filled at start
 * ({@link FlagCacheLoader}), kept current by this replica's own changes and, for other replicas' changes, by
 * {@code dev.stagecraft.flag.changed} ({@link FlagChangesConsumer}). Each scope is an immutable snapshot replaced
 * whole, so a bulk evaluation sees one consistent set and its ETag describes exactly that set.
 */
@ApplicationScoped
public class FlagCache {
    private static final Logger LOG = Logger.getLogger(FlagCache.class);

    /** The flags of one scope at one moment; {@code revision} changes whenever any of them does. */
    public record Snapshot(Map<String, FlagDefinition> flags, String revision) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), "empty");
    }

    private record Versioned(FlagDefinition definition, long version) {
    }

    private final Map<FlagScope, Map<String, Versioned>> byScope = new ConcurrentHashMap<>();
    private final Map<FlagScope, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;

    public FlagCache(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Snapshot snapshot(FlagScope scope) {
        return snapshots.getOrDefault(scope, Snapshot.EMPTY);
    }

    /** Stores the row as it is committed; an older version than the one held is ignored (events may come late). */
    public void apply(FlagEntity row) {
        FlagDefinition definition = parse(row);
        if (definition == null) {
            return;
        }
        FlagScope scope = new FlagScope(row.service, row.environment);
        change(scope, flags -> {
            Versioned held = flags.get(row.flagKey);
            if (held == null || held.version() <= row.version) {
                flags.put(row.flagKey, new Versioned(definition, row.version));
            }
        });
    }

    public void remove(FlagScope scope, String key) {
        change(scope, flags -> flags.remove(key));
    }

    public void replaceAll(List<FlagEntity> rows) {
        byScope.clear();
        snapshots.clear();
        rows.forEach(this::apply);
    }

    private synchronized void change(FlagScope scope, java.util.function.Consumer<Map<String, Versioned>> edit) {
        Map<String, Versioned> flags = new TreeMap<>(byScope.getOrDefault(scope, Map.of()));
        edit.accept(flags);
        byScope.put(scope, Map.copyOf(flags));
        Map<String, FlagDefinition> definitions = new TreeMap<>();
        StringBuilder revision = new StringBuilder();
        flags.forEach((key, v) -> {
            definitions.put(key, v.definition());
            revision.append(key).append('@').append(v.version()).append(';');
        });
        snapshots.put(scope, new Snapshot(java.util.Collections.unmodifiableMap(definitions), sha256(revision.toString())));
    }

    private FlagDefinition parse(FlagEntity row) {
        try {
            FlagValidation.Result result = FlagValidation.check(row.flagKey, mapper.readTree(row.definition));
            if (!result.valid()) {
                LOG.errorf("flag %s/%s/%s in the database is not valid, not served: %s", row.service, row.environment,
                        row.flagKey, result.problems());
                return null;
            }
            return result.definition();
        } catch (java.io.IOException e) {
            LOG.errorf("flag %s/%s/%s in the database is not JSON, not served", row.service, row.environment, row.flagKey);
            return null;
        }
    }

    /** Test hook: a definition that never passed validation, to see the engine answer GENERAL rather than a value. */
    void putUnchecked(FlagScope scope, FlagDefinition definition) {
        change(scope, flags -> flags.put(definition.key(), new Versioned(definition, Long.MAX_VALUE)));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
