package dev.stagecraft.release.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.stagecraft.platform.net.Destinations;
import dev.stagecraft.platform.net.HostResolver;
import dev.stagecraft.platform.net.OutboundAddressPolicy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where webhooks may go: public addresses, plus hosts an operator listed in
 * {@code stagecraft.webhooks.allowed-hosts} (env {@code STAGECRAFT_WEBHOOKS_ALLOWED_HOSTS}, comma-separated
 * host names or addresses as they appear in URLs, e.g. {@code 127.0.0.1,hooks.internal}). Without that an admin's
 * subscription could make the platform POST to its own services, the cloud's metadata address or the private
 * network. Checked twice: when subscribing (a clear 400) and at every delivery against the address actually
 * connected to, because a name's DNS answer can change in between.
 */
@ApplicationScoped
public class WebhookDestinations {
    private final Set<String> allowedHosts;
    private final HostResolver resolver;

    public WebhookDestinations(WebhookConfig config, HostResolver resolver) {
        this.allowedHosts = config.allowedHosts().orElse(List.of()).stream().map(String::strip)
                .filter(h -> !h.isEmpty()).map(WebhookDestinations::bare).collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /** For the delivery: listed hosts go anywhere, every other host only to public addresses. */
    public Destinations destinations() {
        return (host, address) -> isListed(host) ? Optional.empty() : OutboundAddressPolicy.refusal(address);
    }

    /**
     * Why {@code url} (already a well-formed http(s) URL) may not be subscribed, or empty. Blocking: it resolves
     * the host.
     */
    public Optional<String> refusal(URI url) {
        String host = bare(url.getHost());
        if (OutboundAddressPolicy.isAmbiguousNumericHost(host)) {
            return Optional.of("the host must be a name or a dotted-quad address, not " + url.getHost());
        }
        if (isListed(host)) {
            return Optional.empty();
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = OutboundAddressPolicy.refusal(address);
            if (refusal.isPresent()) {
                return Optional.of("must not point at " + refusal.get() + " (" + host + " is "
                        + address.getHostAddress() + "); an operator may list the host in"
                        + " STAGECRAFT_WEBHOOKS_ALLOWED_HOSTS");
            }
        }
        return Optional.empty();
    }

    private boolean isListed(String host) {
        return allowedHosts.contains(bare(host));
    }

    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
