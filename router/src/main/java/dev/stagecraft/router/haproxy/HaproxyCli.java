package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.RouterException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One of HAProxy's command sockets (the workers' stats socket, or the master CLI), on a unix socket: one
 * connection per command. The request is half-closed after the command, which is what makes the master CLI
 * of 2.6 answer and hang up (it otherwise keeps the connection open, waiting for more).
 */
public final class HaproxyCli {
    /** What {@code set server ... addr} answers when it worked; every other {@code set} command answers nothing. */
    private static final Pattern ADDR_CHANGED = Pattern.compile("^(IP changed|no need to change)");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Path socket;

    public HaproxyCli(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** Sends one command (or several separated by {@code ;}) and answers HAProxy's whole answer. */
    public String send(String command) {
        if (command.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("one line per command: " + command);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            channel.shutdownOutput();
            return readToEnd(channel);
        } catch (IOException e) {
            throw new RouterException("HAProxy did not answer '" + command + "' on " + socket + ": " + e.getMessage(), e);
        }
    }

    /** A {@code set ...} command, whose answer is empty unless it failed (addr answers what it changed). */
    public void set(String command) {
        String answer = send(command).strip();
        if (!answer.isEmpty() && !ADDR_CHANGED.matcher(answer).find()) {
            throw new RouterException("HAProxy refused '" + command + "': " + answer);
        }
    }

    private static String readToEnd(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("no complete answer within " + TIMEOUT);
                }
                selector.select(left);
                selector.selectedKeys().clear();
                int read;
                while ((read = channel.read(buffer)) > 0) {
                    answer.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                if (read < 0) {
                    return answer.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }
}
