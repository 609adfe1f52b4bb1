package dev.stagecraft.devinfra;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks a broker for its metadata with a hand-written Metadata v4 request. This keeps kafka-clients off
 * dev-infra's runtime classpath (it is 'provided', for the broker). A KRaft broker lists only unfenced
 * brokers, so "at least one broker" means it is ready for clients.
 */
final class KafkaProbe {
    private static final short METADATA = 3;
    private static final short VERSION = 4; // oldest version Kafka 4.x still accepts (v0-v3 were removed)
    private static final byte[] CLIENT_ID = "stagecraft-dev-infra-probe".getBytes(StandardCharsets.US_ASCII);

    private KafkaProbe() {
    }

    /** Number of brokers the metadata response lists; throws if the broker does not answer. */
    static int brokerCount(String host, int port, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            int correlationId = 7;
            // Request header v1: api_key, api_version, correlation_id, client_id.
            // Body v4: topics (empty array = none), allow_auto_topic_creation.
            out.writeInt(2 + 2 + 4 + 2 + CLIENT_ID.length + 4 + 1);
            out.writeShort(METADATA);
            out.writeShort(VERSION);
            out.writeInt(correlationId);
            out.writeShort(CLIENT_ID.length);
            out.write(CLIENT_ID);
            out.writeInt(0);
            out.writeBoolean(false);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readInt(); // response size
            if (in.readInt() != correlationId) {
                throw new IOException("unexpected correlation id from " + host + ":" + port);
            }
            in.readInt(); // throttle_time_ms
            return in.readInt(); // brokers array length
        }
    }
}
