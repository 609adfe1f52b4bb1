package dev.stagecraft.release.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.persistence.ReleaseEntity;

/**
 * Which declared migrations have not been tried yet: a migration counts as tried once it ran in a
 * SUCCEEDED deployment of the same or an earlier release (semantic-version order).
 */
public final class ReleaseMigrations {
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    /** A release that has run somewhere: its version and the migrations it declared. */
    public record Ran(String version, Collection<String> migrations) {
    }

    public static List<String> of(ReleaseEntity release) {
        return release.migrations == null ? List.of() : JsonText.read(release.migrations, LIST);
    }

    /** The migrations of {@code version} that no release up to {@code version} has run yet, in declared order. */
    public static List<String> untried(String version, List<String> declared, Collection<Ran> succeeded) {
        Set<String> tried = new LinkedHashSet<>();
        succeeded.stream().filter(r -> SemVerOrder.isAtMost(r.version(), version))
                .forEach(r -> tried.addAll(r.migrations()));
        List<String> untried = new ArrayList<>(declared);
        untried.removeAll(tried);
        return untried;
    }

    private ReleaseMigrations() {
    }
}
