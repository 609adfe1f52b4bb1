package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.RouterException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The master's {@code show proc}: how many reloads it has done and how many of them failed, its current
 * worker and the old workers still finishing requests they took before a reload.
 *
 * <pre>
 * #&lt;PID&gt;          &lt;type&gt;          &lt;reloads&gt;       &lt;uptime&gt;        &lt;version&gt;
 * 16645           master          1 [failed: 1]   0d00h00m06s     2.6.12-1+deb12u4
 * # workers
 * 16672           worker          1               0d00h00m06s     2.6.12-1+deb12u4
 * # old workers
 * ...
 * </pre>
 */
public record HaproxyProcesses(long master, int reloads, int failedReloads, List<Long> workers, List<Long> oldWorkers) {
    private static final Pattern MASTER = Pattern.compile("^(\\d+)\\s+master\\s+(\\d+)\\s+\\[failed:\\s*(\\d+)\\]");
    private static final Pattern PROCESS = Pattern.compile("^(\\d+)\\s+(\\S+)");

    public static HaproxyProcesses parse(String showProc) {
        long master = -1;
        int reloads = 0;
        int failed = 0;
        List<Long> workers = new ArrayList<>();
        List<Long> old = new ArrayList<>();
        List<Long> section = null;
        for (String line : showProc.split("\n")) {
            line = line.strip();
            Matcher m = MASTER.matcher(line);
            if (m.find()) {
                master = Long.parseLong(m.group(1));
                reloads = Integer.parseInt(m.group(2));
                failed = Integer.parseInt(m.group(3));
            } else if (line.equals("# workers")) {
                section = workers;
            } else if (line.equals("# old workers")) {
                section = old;
            } else if (line.startsWith("#")) {
                section = null;
            } else if (section != null && (m = PROCESS.matcher(line)).find() && m.group(2).equals("worker")) {
                section.add(Long.parseLong(m.group(1)));
            }
        }
        if (master < 0) {
            throw new RouterException("HAProxy's master answered no process list: " + showProc.strip());
        }
        return new HaproxyProcesses(master, reloads, failed, List.copyOf(workers), List.copyOf(old));
    }
}
