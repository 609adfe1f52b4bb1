package dev.stagecraft.agent;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -Xmx48m -XX:+UseSerialGC -jar host-agent.jar}, configured by environment variables (README). SIGTERM
 * stops the agent and leaves its instances running.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // slf4j-simple reads these once, before the first logger: the agent's own lines at info, Kafka's at warn.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
        AgentConfig config;
        ArtifactSettings artifacts;
        SimulationSettings simulation;
        try {
            config = AgentConfig.fromEnv(System.getenv());
            artifacts = ArtifactSettings.fromEnv(System.getenv());
            simulation = SimulationSettings.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("host-agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        HostAgent agent = HostAgent.start(config, RouterSettings.fromEnv(System.getenv()), artifacts, simulation);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "agent-shutdown"));
        stopped.await();
    }
}
