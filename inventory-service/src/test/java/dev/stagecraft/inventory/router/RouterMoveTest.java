package dev.stagecraft.inventory.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.HostHeartbeat;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.RouteBackend;
import dev.stagecraft.contracts.RouterCommand;
import dev.stagecraft.contracts.RouterStatus;
import dev.stagecraft.contracts.RouterStatusReport;
import dev.stagecraft.inventory.agent.HostCommandSender;
import dev.stagecraft.inventory.agent.HostDirectory;
import dev.stagecraft.inventory.agent.RouterReports;
import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;

/**
 * A fleet router whose host stops heartbeating moves to a live host, same port, same table, and the old host is told
 * to remove it. The agents are played by a sender that answers each SET_ROUTES with the table, as an agent does; no
 * broker (the e2e AgentTakeoverEndToEndTest kills a real host).
 */
class RouterMoveTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final FleetKey FLEET = new FleetKey("shop", "staging");

    @Test
    void aRouterOnALostHostMovesToALiveOneOnItsPortWithItsTable() {
        MutableClock clock = new MutableClock();
        HostDirectory hosts = new HostDirectory(Duration.ofSeconds(15), clock);
        RouterReports reports = new RouterReports();
        try (AnsweringAgents agents = new AnsweringAgents(reports)) {
            AgentRouter router = new AgentRouter(hosts, reports, agents,
                    new AgentRouter.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1)));
            hosts.heard(new HostHeartbeat("host-1", "127.0.0.2", List.of(), T0));
            hosts.heard(new HostHeartbeat("host-2", "127.0.0.3", List.of(), T0));
            assertEquals("http://127.0.0.2:4000", router.open(FLEET, OptionalInt.of(4000)), "the lowest host id");
            router.update(FLEET, Map.of("i-a", new Backend("127.0.0.3:5000", 100), "i-b", new Backend("127.0.0.2:5001", 0)));
            assertEquals(Map.of(), router.moveOffLostHosts(), "both hosts alive: nothing moves");

            clock.now = T0.plusSeconds(20); // host-1 is silent for longer than the freshness
            hosts.heard(new HostHeartbeat("host-2", "127.0.0.3", List.of(), clock.now));
            agents.sent.clear();
            assertEquals(Map.of(FLEET, "http://127.0.0.3:4000"), router.moveOffLostHosts());
            assertEquals(List.of("host-2 SET_ROUTES 4000 {i-a=127.0.0.3:5000@100, i-b=127.0.0.2:5001@0}",
                    "host-1 REMOVE_ROUTER"), agents.sent);
            assertEquals("http://127.0.0.3:4000", router.routerUrl(FLEET).orElseThrow());
            assertEquals(Map.of("i-a", 100, "i-b", 0), router.appliedWeights(FLEET));
            assertEquals(Map.of(), router.moveOffLostHosts(), "moved once");

            clock.now = T0.plusSeconds(60); // every host silent: this service is more likely deaf; nothing moves
            agents.sent.clear();
            assertEquals(Map.of(), router.moveOffLostHosts());
            assertEquals(List.of(), agents.sent);
        }
    }

    /**
     * Two replicas of inventory-service (two AgentRouters reading the same reports, as both read the whole host-status
     * topic) change one fleet's router in turn, as the fleet lock lets them: each continues from the table the other
     * sent last (a higher generation), never sending an older table back, and both name the same routerUrl.
     */
    @Test
    void twoReplicasTakingTurnsContinueFromEachOthersTable() {
        HostDirectory hosts = new HostDirectory(Duration.ofSeconds(15), new MutableClock());
        RouterReports reports = new RouterReports();
        try (AnsweringAgents agents = new AnsweringAgents(reports)) {
            AgentRouter.Settings settings = new AgentRouter.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1));
            AgentRouter one = new AgentRouter(hosts, reports, agents, settings);
            AgentRouter two = new AgentRouter(hosts, reports, agents, settings);
            hosts.heard(new HostHeartbeat("host-1", "127.0.0.2", List.of(), T0));
            assertEquals("http://127.0.0.2:4000", one.open(FLEET, OptionalInt.of(4000)));
            one.update(FLEET, Map.of("i-a", new Backend("127.0.0.2:5000", 100)));
            assertEquals("http://127.0.0.2:4000", two.routerUrl(FLEET).orElseThrow(), "the running router, reported");

            agents.sent.clear();
            two.update(FLEET, Map.of("i-b", new Backend("127.0.0.2:5001", 0)));
            one.update(FLEET, Map.of("i-a", new Backend("127.0.0.2:5000", 0)));
            two.remove(FLEET, List.of("i-a"));
            assertEquals(List.of("host-1 SET_ROUTES 4000 {i-a=127.0.0.2:5000@100, i-b=127.0.0.2:5001@0}",
                    "host-1 SET_ROUTES 4000 {i-a=127.0.0.2:5000@0, i-b=127.0.0.2:5001@0}",
                    "host-1 SET_ROUTES 4000 {i-b=127.0.0.2:5001@0}"), agents.sent);
            assertEquals(Map.of("i-b", 0), one.appliedWeights(FLEET));
            assertEquals(one.routerUrl(FLEET), two.routerUrl(FLEET));
        }
    }

    /** Plays the host agents: every SET_ROUTES is answered RUNNING on that host with the table it was given. */
    private static final class AnsweringAgents extends HostCommandSender {
        final List<String> sent = new ArrayList<>();
        private final RouterReports reports;

        AnsweringAgents(RouterReports reports) {
            super("127.0.0.1:1", Map.of());
            this.reports = reports;
        }

        @Override
        public void send(RouterCommand command) {
            if (RouterCommand.REMOVE_ROUTER.equals(command.type())) {
                sent.add(command.hostId() + " REMOVE_ROUTER");
                return;
            }
            Map<String, RouteBackend> table = new TreeMap<>(command.router().backends());
            sent.add(command.hostId() + " SET_ROUTES " + command.router().port() + " " + table.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().address() + "@" + e.getValue().weight()).toList()
                    .toString().replace("[", "{").replace("]", "}"));
            String address = command.hostId().equals("host-1") ? "127.0.0.2" : "127.0.0.3";
            reports.apply(new RouterStatusReport(command.hostId(), address, new RouterStatus(command.routerId(),
                    "shop", "staging", InstanceStatus.RUNNING, 42L, address, command.router().port(),
                    command.router().generation(), table, List.of(), 0, null, T0, null), command.commandId(), T0));
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
