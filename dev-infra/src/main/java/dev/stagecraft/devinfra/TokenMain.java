package dev.stagecraft.devinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The local platform's token tool:
 * <pre>
 * TokenMain keygen DIR                        writes DIR/jwt-private.pem and DIR/jwt-public.pem unless present
 * TokenMain mint DIR USER [GROUP...] [--ttl 8h]  prints a bearer token, e.g. mint DIR alice deployer:staging
 * </pre>
 */
public final class TokenMain {
    private TokenMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("keygen")) {
            Path dir = Path.of(args[1]);
            if (!Files.exists(dir.resolve("jwt-private.pem"))) {
                Jwt.writeKeyPair(Jwt.newKeyPair(), dir);
            }
            return;
        }
        if (args.length >= 3 && args[0].equals("mint")) {
            Path dir = Path.of(args[1]);
            String user = args[2];
            List<String> rest = Arrays.asList(args).subList(3, args.length);
            Duration ttl = Duration.ofHours(8);
            int ttlAt = rest.indexOf("--ttl");
            if (ttlAt >= 0) {
                if (ttlAt + 1 >= rest.size()) {
                    usage();
                }
                ttl = Duration.parse("PT" + rest.get(ttlAt + 1).toUpperCase());
                rest = new java.util.ArrayList<>(rest);
                rest.remove(ttlAt + 1);
                rest.remove(ttlAt);
            }
            System.out.println(Jwt.mint(Jwt.readPrivateKey(dir.resolve("jwt-private.pem")), user, rest, Instant.now(),
                    ttl));
            return;
        }
        usage();
    }

    private static void usage() {
        System.err.println("usage: TokenMain keygen DIR | TokenMain mint DIR USER [GROUP...] [--ttl 8h]");
        System.exit(2);
    }
}
