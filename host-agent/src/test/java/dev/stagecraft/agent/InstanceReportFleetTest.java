package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecraft.contracts.HostHeartbeat;
import dev.stagecraft.contracts.InstanceStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An agent's report names the fleet of each instance (service and environment, from the spec it holds), so that
 * inventory-service can tell an instance it has no row for; a report without them (an older agent) still reads.
 */
class InstanceReportFleetTest {

    @Test
    void aReportNamesTheFleetOfItsInstanceAsTheSpecSays() throws Exception {
        InstanceStatus status = TestSpecs.handle("i-1", 7, InstanceStatus.RUNNING, InstanceHandle.RUN).status();
        assertEquals("shop", status.service());
        assertEquals("staging", status.environment());
        assertTrue(status.namesFleet());

        JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(
                new HostHeartbeat("host-1", "127.0.0.2", List.of(status), Instant.EPOCH)));
        assertEquals("shop", json.path("instances").path(0).path("service").asText());
        assertEquals("staging", json.path("instances").path(0).path("environment").asText());
    }

    @Test
    void aGoneAnswerNamesNoFleet() {
        InstanceStatus gone = InstanceHandle.gone("i-1", Instant.EPOCH);
        assertFalse(gone.namesFleet());
        assertNull(gone.service());
    }

    @Test
    void anOlderAgentsReportWithoutTheFleetStillReads() throws Exception {
        String older = "{\"instanceId\":\"i-1\",\"generation\":3,\"version\":\"1.0.0\",\"state\":\"RUNNING\","
                + "\"pid\":42,\"address\":\"127.0.0.2\",\"port\":40000,\"restarts\":0,\"lastExit\":null,"
                + "\"since\":\"2026-01-01T00:00:00Z\",\"nextRestartAt\":null,\"detail\":null}";
        InstanceStatus read = Json.MAPPER.readValue(older, InstanceStatus.class);
        assertEquals("i-1", read.instanceId());
        assertEquals(42L, read.pid());
        assertNull(read.service());
        assertNull(read.environment());
        assertFalse(read.namesFleet());
    }
}
