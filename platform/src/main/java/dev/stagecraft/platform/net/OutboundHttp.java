package dev.stagecraft.platform.net;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small HTTP/1.1 client for requests to URLs that users chose. Why not {@code java.net.http.HttpClient}: it
 * resolves the host itself, so the address we checked need not be the one it connects to (DNS rebinding),
 * and it has no deadline for a whole body. Here every address of the host is checked with {@link Destinations}
 * first, and the connection goes to the checked address; TLS still verifies the certificate against the
 * host's name. Redirects are never followed (a 3xx is just a status). Blocking: call it on a worker thread.
 */
public final class OutboundHttp {
    private static final int MAX_HEAD_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 100;

    private final HostResolver resolver;
    private final Dialer dialer;

    public OutboundHttp(HostResolver resolver, Dialer dialer) {
        this.resolver = resolver;
        this.dialer = dialer;
    }

    public OutboundResponse get(URI uri, OutboundLimits limits, Destinations destinations) throws IOException {
        return send("GET", uri, Map.of(), null, limits, destinations);
    }

    /**
     * Sends one request and reads the answer's head. Throws {@link OutboundRefusedException} before any connection
     * is made if the URL or any address of its host is refused.
     */
    public OutboundResponse send(String method, URI uri, Map<String, String> headers, byte[] body,
            OutboundLimits limits, Destinations destinations) throws IOException {
        long deadline = System.nanoTime() + limits.totalTimeout().toNanos();
        String host = hostOf(uri);
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        InetAddress address = checkedAddress(host, destinations);
        Socket socket = dialer.connect(new InetSocketAddress(address, port), limits.connectTimeout());
        try {
            if (tls) {
                socket = tls(socket, host, port, limits);
            }
            writeRequest(socket.getOutputStream(), method, uri, host, port, tls, headers, body);
            InputStream in = new BufferedInputStream(
                    new BodyStreams.Deadline(socket, deadline, limits.readTimeout().toMillis()));
            return readAnswer(in, socket, method, limits.maxBodyBytes());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Refuses anything but an absolute http(s) URL with a host and no credentials, and ambiguous numeric hosts. */
    static String hostOf(URI uri) throws OutboundRefusedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new OutboundRefusedException("only http and https URLs are fetched");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new OutboundRefusedException("the URL names no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new OutboundRefusedException("the URL carries credentials");
        }
        if (OutboundAddressPolicy.isAmbiguousNumericHost(uri.getHost())) {
            throw new OutboundRefusedException("the host " + uri.getHost() + " is a numeric form other than a dotted quad");
        }
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** Every address of the host must pass; the first is the one connected to. */
    private InetAddress checkedAddress(String host, Destinations destinations) throws IOException {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new UnknownHostException("cannot resolve " + host);
        }
        if (addresses.isEmpty()) {
            throw new UnknownHostException("cannot resolve " + host);
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = destinations.refusal(host, address);
            if (refusal.isPresent()) {
                throw new OutboundRefusedException(host + " resolves to " + address.getHostAddress() + ", "
                        + refusal.get());
            }
        }
        return addresses.get(0);
    }

    private static Socket tls(Socket plain, String host, int port, OutboundLimits limits) throws IOException {
        SSLSocket socket = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        if (!host.contains(":") && !host.matches("[0-9.]+")) { // SNI carries names, never addresses
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout((int) Math.max(1, limits.connectTimeout().toMillis()));
        socket.startHandshake();
        return socket;
    }

    private static void writeRequest(OutputStream out, String method, URI uri, String host, int port, boolean tls,
            Map<String, String> headers, byte[] body) throws IOException {
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        boolean defaultPort = port == (tls ? 443 : 80);
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Connection: close\r\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getValue().indexOf('\r') >= 0 || header.getValue().indexOf('\n') >= 0) {
                throw new OutboundRefusedException("header " + header.getKey() + " holds a line break");
            }
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    private static OutboundResponse readAnswer(InputStream in, Socket socket, String method, long maxBody)
            throws IOException {
        String statusLine = BodyStreams.line(in, MAX_HEAD_LINE);
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new NumberFormatException();
            }
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("the answer is not HTTP/1.x");
        }
        Map<String, String> headers = new HashMap<>();
        String line;
        while (!(line = BodyStreams.line(in, MAX_HEAD_LINE)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new IOException("the answer's head is malformed or too long");
            }
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return new OutboundResponse(status, headers, body(in, method, status, headers, maxBody), socket);
    }

    private static InputStream body(InputStream in, String method, int status, Map<String, String> headers,
            long maxBody) throws IOException {
        if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
            return InputStream.nullInputStream();
        }
        String encoding = headers.get("transfer-encoding");
        String length = headers.get("content-length");
        InputStream framed;
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            framed = new BodyStreams.Chunked(in);
        } else if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length);
            } catch (NumberFormatException e) {
                throw new IOException("the answer's Content-Length is not a number");
            }
            if (declared > maxBody) {
                // refused at the first read, not here: a caller that only wants the status need not read it
                return new BodyStreams.Refused("the body is larger than " + maxBody + " bytes (Content-Length "
                        + declared + ")");
            }
            framed = new BodyStreams.Fixed(in, declared);
        } else {
            framed = in;
        }
        return new BodyStreams.SizeLimit(framed, maxBody);
    }
}
