package dev.stagecraft.contracts;

/**
 * How a deployment moves. {@code type} is {@code rolling}, {@code blue-green} or {@code canary};
 * {@code maxUnavailable} (rolling) is a count ("1") or a percentage ("25%").
 */
public record StrategySpec(String type, String maxUnavailable) {
    public static final String ROLLING = "rolling";
    public static final String BLUE_GREEN = "blue-green";
    public static final String CANARY = "canary";
}
