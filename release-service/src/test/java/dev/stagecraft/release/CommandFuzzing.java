package dev.stagecraft.release;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.devinfra.TestTokens;

/**
 * Ways to spoil a command's envelope (CloudEvents headers, idempotency key) or its token, each of which
 * alone must get the command rejected. Headers are bytes, so that they can be anything at all.
 */
final class CommandFuzzing {
    static final List<String> TYPES = List.of(EventTypes.COMMAND_CREATE_RELEASE, EventTypes.COMMAND_REQUEST_DEPLOYMENT,
            EventTypes.COMMAND_APPROVE_DEPLOYMENT);
    private static final List<String> CE = List.of("ce_specversion", "ce_id", "ce_source", "ce_type");

    /** Spoils the envelope of {@code headers} in place; says how. */
    static String breakEnvelope(Random random, Map<String, byte[]> headers, String id) {
        switch (random.nextInt(10)) {
            case 0 -> {
                headers.clear();
                return "no headers at all";
            }
            case 1 -> {
                int n = 1 + random.nextInt(3);
                StringBuilder how = new StringBuilder("without");
                for (int k = 0; k < n; k++) {
                    String name = CE.get(random.nextInt(CE.size()));
                    headers.remove(name);
                    how.append(' ').append(name);
                }
                return how.toString();
            }
            case 2 -> {
                String v = pick(random, "0.3", "2.0", "", "1.0 ", "1", "v1.0");
                headers.put("ce_specversion", bytes(v));
                return "ce_specversion=" + v;
            }
            case 3 -> {
                String v = pick(random, "dev.stagecraft.command.explode", EventTypes.DEPLOYMENT_SUCCEEDED,
                        EventTypes.COMMAND_ACCEPTED, "", "x".repeat(10_000), EventTypes.COMMAND_CREATE_RELEASE + "\n",
                        randomAscii(random, 1 + random.nextInt(80)));
                headers.put("ce_type", bytes(v));
                return "ce_type=" + shortly(v);
            }
            case 4 -> {
                String v = pick(random, "", " ", "i".repeat(5_000), "line\nbreak", "nul\u0000");
                headers.put("ce_id", bytes(v));
                return "ce_id=" + shortly(v);
            }
            case 5 -> {
                String v = pick(random, "", "k".repeat(201), "tab\tkey", "nul\u0000key");
                headers.put("ce_idempotencykey", bytes(v));
                return "ce_idempotencykey=" + shortly(v);
            }
            case 6 -> {
                String name = pick(random, "ce_specversion", "ce_type");
                headers.put(name, new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xA0, (byte) 0xFF });
                return name + " not UTF-8";
            }
            case 7 -> {
                headers.put("ce_type#2", bytes("dev.stagecraft.command.unknown"));
                return "a second ce_type, unknown (the last one counts)";
            }
            case 8 -> {
                String v = pick(random, "", "s".repeat(2_000));
                headers.put("ce_source", bytes(v));
                return "ce_source=" + shortly(v);
            }
            default -> {
                headers.remove("ce_specversion");
                headers.remove("ce_id");
                headers.remove("ce_idempotencykey");
                return "a plain record with a token, not a CloudEvent (" + id + ")";
            }
        }
    }

    /**
     * Spoils the token of {@code headers} in place; says how. {@code requesterToken} belongs to the
     * requester of the deployment the approve commands name, who may not approve it.
     */
    static String breakToken(Random random, Map<String, byte[]> headers, String type, String requesterToken) {
        int roll = random.nextInt(11);
        String value = switch (roll) {
            case 0 -> null;
            case 1 -> "Basic dXNlcjpwYXNz";
            case 2 -> "Bearer ";
            case 3 -> "Bearer not.a.jwt";
            case 4 -> "Bearer " + TestTokens.expired("fuzz-ci", "admin");
            case 5 -> "Bearer " + TestTokens.forged("fuzz-ci", "admin");
            case 6 -> "Bearer " + "t".repeat(20_000);
            case 7 -> "Token " + TestTokens.command("fuzz-ci", "admin");
            case 8 -> "Bearer " + TestTokens.command("fuzz-viewer", "viewer");
            case 9 -> "Bearer " + TestTokens.command("fuzz-stranger", "unrelated");
            default -> EventTypes.COMMAND_APPROVE_DEPLOYMENT.equals(type) ? "Bearer " + requesterToken
                    : "Bearer " + TestTokens.command("fuzz-approver", "approver"); // approvers create nothing
        };
        if (value == null) {
            headers.remove("authorization");
        } else {
            headers.put("authorization", bytes(value));
        }
        return value == null ? "no authorization" : shortly(value);
    }

    private static String pick(Random random, String... values) {
        return values[random.nextInt(values.length)];
    }

    private static String randomAscii(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (33 + random.nextInt(94)));
        }
        return s.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String shortly(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…(" + s.length() + ")" : printable;
    }

    private CommandFuzzing() {
    }
}
