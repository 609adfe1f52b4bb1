package dev.stagecraft.sample;

/** Just enough JSON writing for flat string objects, so the app needs no library. */
public final class Json {

    private Json() {
    }

    /** Builds {"k1":"v1",...} from alternating keys and values. */
    static String object(String... keysAndValues) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(keysAndValues[i])).append(':').append(quote(keysAndValues[i + 1]));
        }
        return out.append('}').toString();
    }

    /** {@code s} as a JSON string literal (also used by the host agent's simulated instances). */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
