import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.router.haproxy.HaproxyConfigFile;
import dev.stagecraft.router.haproxy.HaproxyFleetTable;
import dev.stagecraft.router.haproxy.HaproxyMaster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * bench/router-wrk's HAProxy fleet router, made by the classes a host agent makes it with (HaproxyRouterEngine's
 * settings): {@code start DIR BIND PORT id=host:port...} writes the config and map files and prints the command line
 * that starts HAProxy (master-worker); {@code apply DIR BIND PORT GENERATION id=host:port...} sets a table through the
 * runtime API and prints the table read back. Run as a single source file on the host agent's jar.
 */
public class HaproxyFleet {
    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        boolean start = args[0].equals("start");
        int first = start ? 4 : 5;
        Map<String, Backend> table = new TreeMap<>();
        for (int i = first; i < args.length; i++) {
            String[] idAndAddress = args[i].split("=", 2);
            table.put(idAndAddress[0], new Backend(idAndAddress[1], 100));
        }
        HaproxyMaster master = new HaproxyMaster(Path.of("/usr/sbin/haproxy"), dir.resolve("master.sock"),
                dir.resolve("stats.sock"), dir.resolve("haproxy.log"), () -> false);
        HaproxyFleetTable fleet = new HaproxyFleetTable(master, new FleetKey("shop", "bench"), "shop.bench", args[2],
                Integer.parseInt(args[3]), dir, new HaproxyConfigFile.Settings(Duration.ofSeconds(1),
                        Duration.ofSeconds(30), dir.resolve("stats.sock")));
        if (start) {
            fleet.writeStartFiles(1, Map.of());
            System.out.println(String.join(" ", master.command(fleet.configFile())));
        } else {
            master.awaitStarted();
            System.out.println(fleet.apply(Long.parseLong(args[4]), table, Duration.ofSeconds(1)).routed());
        }
    }
}
