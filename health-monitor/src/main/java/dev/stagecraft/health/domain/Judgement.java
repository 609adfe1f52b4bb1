package dev.stagecraft.health.domain;

/** The outcome of a step's verification: PASS or FAIL, and a reason a person can act on. */
public record Judgement(String result, String reason) {
}
