package dev.stagecraft.devinfra;

import java.io.IOException;

/**
 * Main class of the broker JVM: runs {@code kafka.Kafka} and exits when its standard input closes,
 * which happens when the JVM that started it dies, even by SIGKILL, where shutdown hooks don't run.
 * KafkaServer copies this class file next to the broker's data, so it must stay self-contained
 * (no nested or anonymous classes; lambdas are fine).
 */
public final class KafkaLauncher {
    private KafkaLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // nothing is ever sent; we only wait for end of stream
                }
            } catch (IOException ignored) {
                // a broken pipe means the parent is gone too
            }
            System.err.println("dev-infra: parent process gone, stopping the broker");
            System.exit(0); // runs Kafka's shutdown hook: a clean broker shutdown
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(args);
    }
}
