package dev.stagecraft.release.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.release.persistence.DeploymentEntity;

/** Which version an undo goes back to, from the SUCCEEDED deployments newest first. */
class FleetUndoTest {
    static List<DeploymentEntity> succeeded(String... versionsNewestFirst) {
        return Arrays.stream(versionsNewestFirst).map(v -> {
            DeploymentEntity d = new DeploymentEntity();
            d.version = v;
            return d;
        }).toList();
    }

    @Test
    void theVersionBeforeTheCurrentOne() {
        assertEquals("1.1.0", FleetUndo.before(succeeded("1.2.0", "1.1.0", "1.0.0"), "shop", "staging"));
    }

    @Test
    void redeploysOfTheCurrentVersionAreSkipped() {
        assertEquals("1.0.0", FleetUndo.before(succeeded("1.1.0", "1.1.0", "1.0.0"), "shop", "staging"));
    }

    @Test
    void nothingBeforeIsAConflictNamingToVersion() {
        ApiProblem none = assertThrows(ApiProblem.class, () -> FleetUndo.before(succeeded(), "shop", "staging"));
        assertEquals(409, none.status());
        ApiProblem same = assertThrows(ApiProblem.class, () -> FleetUndo.before(succeeded("1.0.0", "1.0.0"), "shop", "staging"));
        assertEquals("toVersion", same.toProblem().errors().get(0).field());
    }
}
