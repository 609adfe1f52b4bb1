package dev.stagecraft.platform.net;

import java.io.IOException;

/**
 * A request the platform will not send, or an answer it will not read on: a destination the policy refuses,
 * a redirect, a body over its size limit or past its deadline. The message is for logs and operators.
 */
public class OutboundRefusedException extends IOException {
    public OutboundRefusedException(String message) {
        super(message);
    }
}
