package dev.stagecraft.platform.net;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** The input streams an {@link OutboundHttp} exchange reads through: deadline, size limit, framing. */
final class BodyStreams {
    private BodyStreams() {
    }

    /**
     * Before every read, shortens the socket's read timeout to what is left of the whole exchange, and fails
     * once nothing is left: a per-read timeout alone lets a peer sending one byte a second go on for ever.
     */
    static final class Deadline extends FilterInputStream {
        private final Socket socket;
        private final long deadlineNanos;
        private final long readTimeoutMillis;

        Deadline(Socket socket, long deadlineNanos, long readTimeoutMillis) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadlineNanos = deadlineNanos;
            this.readTimeoutMillis = readTimeoutMillis;
        }

        private void arm() throws IOException {
            long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                throw new SocketTimeoutException("the exchange took longer than its total deadline");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(readTimeoutMillis, leftMillis)));
        }

        @Override
        public int read() throws IOException {
            arm();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return super.read(b, off, len);
        }
    }

    /** Fails once more than {@code max} bytes came through. */
    static final class SizeLimit extends FilterInputStream {
        private final long max;
        private long count;

        SizeLimit(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws IOException {
            count += n;
            if (count > max) {
                throw new OutboundRefusedException("the body is larger than " + max + " bytes");
            }
        }
    }

    /** A body that must not be read: every read fails with the reason. */
    static final class Refused extends InputStream {
        private final String reason;

        Refused(String reason) {
            this.reason = reason;
        }

        @Override
        public int read() throws IOException {
            throw new OutboundRefusedException(reason);
        }
    }

    /** Exactly {@code length} bytes (Content-Length), then end of stream; fewer is an error. */
    static final class Fixed extends FilterInputStream {
        private long left;

        Fixed(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the connection closed before the body's Content-Length was read");
            }
            left -= n;
            return n;
        }
    }

    /** Transfer-Encoding: chunked, trailers skipped. */
    static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in, 1024);
                int semicolon = size.indexOf(';');
                try {
                    left = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size in the answer");
                }
                if (left < 0) {
                    throw new IOException("bad chunk size in the answer");
                }
                if (left == 0) {
                    while (!line(in, 8192).isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the connection closed inside a chunk");
            }
            left -= n;
            if (left == 0) {
                line(in, 2);
            }
            return n;
        }
    }

    /** One CRLF- (or LF-) terminated line as ISO-8859-1, at most {@code max} bytes. */
    static String line(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = out.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (out.size() >= max) {
                throw new OutboundRefusedException("a line of the answer's head is longer than " + max + " bytes");
            }
            out.write(b);
        }
        throw new IOException("the connection closed inside the answer's head");
    }
}
