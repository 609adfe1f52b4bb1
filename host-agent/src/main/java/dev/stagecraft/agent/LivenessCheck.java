package dev.stagecraft.agent;

/** Whether an instance answers its liveness probe now. */
interface LivenessCheck {
    boolean isLive(String address, int port);
}
