package dev.stagecraft.release.flags.engine;

public enum FlagState {
    ENABLED, DISABLED
}
