package dev.stagecraft.release.flags.engine;

/**
 * Why an evaluation answered what it did. {@code DEFAULT} (rules exist, none matched) is OpenFeature's reason;
 * the OFREP schema's enum does not list it, so the OFREP layer sends it as {@code STATIC} (see README).
 */
public enum Reason {
    STATIC, TARGETING_MATCH, SPLIT, DISABLED, DEFAULT
}
