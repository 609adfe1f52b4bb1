package dev.stagecraft.release.api;

/** A freeze as users write it: {@code {"from":"2026-12-20","to":"2027-01-05","reason":"year end"}}, dates inclusive. */
public record FreezeSpec(String from, String to, String reason) {
}
