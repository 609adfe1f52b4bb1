package dev.stagecraft.platform.net;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The real resolver and dialer, and the client built on them; a test may provide its own resolver or dialer. */
@ApplicationScoped
public class NetworkSeams {
    @Produces
    @DefaultBean
    @Singleton
    HostResolver resolver() {
        return HostResolver.SYSTEM;
    }

    @Produces
    @DefaultBean
    @Singleton
    Dialer dialer() {
        return Dialer.PLAIN;
    }

    @Produces
    @Singleton
    OutboundHttp outboundHttp(HostResolver resolver, Dialer dialer) {
        return new OutboundHttp(resolver, dialer);
    }
}
