package dev.stagecraft.release.flags.engine;

/** OpenFeature error codes an evaluation can end in (FLAG_NOT_FOUND is decided before the engine runs). */
public enum ErrorCode {
    FLAG_NOT_FOUND, PARSE_ERROR, TARGETING_KEY_MISSING, INVALID_CONTEXT, GENERAL
}
