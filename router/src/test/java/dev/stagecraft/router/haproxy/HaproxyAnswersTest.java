package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.router.RouterException;



import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What the haproxy router reads from HAProxy 2.6 and writes for it, on answers copied from a real
 * HAProxy 2.6.12: no HAProxy needed here.
 */
class HaproxyAnswersTest {
    private static final String SERVERS_STATE = """
            1
            # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight \
            srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state \
            srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port \
            srv_check_addr srv_agent_addr srv_agent_port
            2 f1 1 slot1 127.0.0.1 2 4 75 1 13 1 0 4 8 0 0 0 - 18001 - 0 0 - - 0
            2 f1 2 slot2 127.0.0.1 2 12 25 1 0 1 0 4 8 0 0 0 - 18002 - 0 0 - - 0
            2 f1 3 slot3 127.0.0.2 2 0 10 10 0 1 0 4 8 0 0 0 - 18001 - 0 0 - - 0
            2 f1 4 slot4 127.0.0.1 0 5 1 1 27 1 0 0 8 0 0 0 - 1 - 0 0 - - 0
            """;

    @Test
    void serverStatesSayWhereAndHowMuchTrafficGoes() {
        Map<String, HaproxyServerState> servers = HaproxyServerState.parse(SERVERS_STATE);
        assertEquals(List.of("slot1", "slot2", "slot3", "slot4"), List.copyOf(servers.keySet()));

        HaproxyServerState ready = servers.get("slot1");
        assertFalse(ready.inMaintenance(), "CMAINT alone (0x04, disabled in the config, then made ready) is not maintenance");
        assertEquals(75, ready.effectiveWeight());
        assertTrue(ready.pointsAt("127.0.0.1", 18001));
        assertFalse(ready.pointsAt("127.0.0.1", 18002));
        assertFalse(ready.pointsAt("127.0.0.2", 18001));

        assertEquals(0, servers.get("slot2").effectiveWeight(), "draining (0x08): no new requests");
        assertTrue(servers.get("slot3").pointsAt("127.0.0.2", 18001));
        assertTrue(servers.get("slot4").inMaintenance(), "forced maintenance (0x01)");
        assertEquals(0, servers.get("slot4").effectiveWeight());
    }

    @Test
    void anAnswerThatIsNoServerStateIsAnError() {
        assertThrows(RouterException.class, () -> HaproxyServerState.parse("Can't find backend.\n"));
        assertEquals(Map.of(), HaproxyServerState.parse(""));
    }

    @Test
    void sessionsAreCountedPerServer() {
        String stat = """
                # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status
                f1,slot1,0,0,2,3,,40,0,0,,0,,0,0,0,0,no check
                f1,slot2,0,0,0,1,,9,0,0,,0,,0,0,0,0,MAINT

                """;
        assertEquals(Map.of("slot1", 2, "slot2", 0), HaproxySessions.parse(stat));
    }

    @Test
    void theMastersProcessListNamesWorkersOldAndNew() {
        HaproxyProcesses processes = HaproxyProcesses.parse("""
                #<PID>          <type>          <reloads>       <uptime>        <version>
                16645           master          3 [failed: 1]   0d00h00m06s     2.6.12-1+deb12u4
                # workers
                16702           worker          0               0d00h00m01s     2.6.12-1+deb12u4
                # old workers
                16672           worker          1               0d00h00m06s     2.6.12-1+deb12u4
                # programs

                """);
        assertEquals(new HaproxyProcesses(16645, 3, 1, List.of(16702L), List.of(16672L)), processes);
        assertThrows(RouterException.class, () -> HaproxyProcesses.parse("Unknown command.\n"));
    }

    @Test
    void theConfigCarriesEverySlotInUseAndTemplatesTheFreeOnes() {
        HaproxyFleet fleet = new HaproxyFleet(new FleetKey("shop", "prod"), "f1.shop.prod", 41000, 8);
        fleet.assign("i-1", new Backend("127.0.0.1:18001", 75));
        fleet.assign("i-2", new Backend("127.0.0.1:18002", 0));
        fleet.assign("i-3", new Backend("[::1]:18003", 25));
        fleet.release("i-2");

        String cfg = HaproxyConfigFile.render(new HaproxyConfigFile.Settings(Duration.ofSeconds(1),
                Duration.ofSeconds(30), Path.of("/run/x/stats.sock")), List.of(fleet), Path.of("/run/x"));

        assertThat(cfg, containsString("stats socket /run/x/stats.sock mode 600 level admin\n"));
        assertThat(cfg, containsString("listen f1.shop.prod\n    # shop in prod\n    bind 127.0.0.1:41000\n"));
        assertThat(cfg, containsString("timeout connect 1000ms\n"));
        assertThat(cfg, containsString("retry-on conn-failure\n"));
        assertThat(cfg, containsString("map(/run/x/f1.shop.prod.map,-)"));
        assertThat(cfg, containsString("    server slot1 127.0.0.1:18001 weight 75\n"
                + "    server-template slot 2-2 127.0.0.1:1 disabled\n"
                + "    server slot3 [0:0:0:0:0:0:0:1]:18003 weight 25\n"
                + "    server-template slot 4-8 127.0.0.1:1 disabled\n"));
        assertThat(cfg, containsString("http-request return status 503 content-type application/problem+json string "
                + "'{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"no instance of shop in prod is in service\",\"errors\":[]}' hdr Retry-After 1"
                + " if !{ nbsrv gt 0 } !{ stopping }\n"));

        String map = HaproxyConfigFile.renderMap(fleet);
        assertThat(map, containsString("slot1 i-1\nslot2 -\nslot3 i-3\nslot4 -\n"));
        assertThat(map, containsString("slot8 -\n"));
    }

    @Test
    void aFreedSlotIsTakenLast() {
        HaproxyFleet fleet = new HaproxyFleet(new FleetKey("shop", "prod"), "f1.shop.prod", 41000, 3);
        assertEquals(1, fleet.assign("i-1", new Backend("127.0.0.1:1", 1)).number());
        assertEquals(2, fleet.assign("i-2", new Backend("127.0.0.1:2", 1)).number());
        fleet.release("i-1");
        assertEquals(3, fleet.assign("i-3", new Backend("127.0.0.1:3", 1)).number(), "slot 1 was just left");
        assertEquals(1, fleet.assign("i-4", new Backend("127.0.0.1:4", 1)).number());
        assertEquals(2, fleet.assign("i-2", new Backend("127.0.0.1:5", 50)).number(), "an instance keeps its slot");
    }

    @Test
    void namesInTheConfigCannotBreakIt() {
        assertThat(HaproxyConfigFile.plain("a\"b'c\nd{e}"), not(containsString("\"")));
        assertEquals("a_b_c_d_e_", HaproxyConfigFile.plain("a\"b'c\nd{e}"));
    }

    @Test
    void theMapNamesTheInstanceInEachSlotAndTheGeneration() {
        assertEquals(Map.of("slot1", "i-1", "slot2", "-", "generation", "42"), HaproxyFleetTable.parseMap("""
                0x55d5f1e0a2b0 slot1 i-1
                0x55d5f1e0a310 slot2 -
                0x55d5f1e0a370 generation 42

                """));
        assertThrows(RouterException.class, () -> HaproxyFleetTable.parseMap("Unknown map identifier.\n"));
    }

    @Test
    void slotsDoubleUntilTheFleetFitsAtMostTheLimit() {
        assertEquals(32, HaproxyFleetTable.slotsFor(0, 32));
        assertEquals(32, HaproxyFleetTable.slotsFor(32, 32));
        assertEquals(64, HaproxyFleetTable.slotsFor(33, 32));
        assertEquals(256, HaproxyFleetTable.slotsFor(200, 32));
        assertEquals(4095, HaproxyFleetTable.slotsFor(4095, 32));
    }
}
