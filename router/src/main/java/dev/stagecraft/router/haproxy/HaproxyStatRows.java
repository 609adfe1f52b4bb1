package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.RouterException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code show stat <proxy> 7 -1} (CSV: the proxy's FRONTEND, BACKEND and each server) as rows by {@code svname}, each
 * a column → value map, read by column name. Counters are the current worker's: a reload starts them again at 0.
 */
public final class HaproxyStatRows {
    private HaproxyStatRows() {
    }

    public static Map<String, Map<String, String>> parse(String showStat) {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        List<String> columns = null;
        for (String line : showStat.split("\n")) {
            if (line.startsWith("# ")) {
                columns = Arrays.asList(line.substring(2).split(",", -1));
                continue;
            }
            if (line.isBlank() || columns == null) {
                continue;
            }
            String[] fields = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(columns.size(), fields.length); i++) {
                row.put(columns.get(i), fields[i]);
            }
            if (!row.containsKey("svname")) {
                throw new RouterException("cannot read HAProxy's stats line '" + line + "'");
            }
            rows.put(row.get("svname"), row);
        }
        if (columns == null && !showStat.isBlank()) {
            throw new RouterException("HAProxy answered no stats: " + showStat.strip());
        }
        return rows;
    }

    /** A counter or gauge of a row; 0 where HAProxy leaves it empty. */
    public static long number(Map<String, String> row, String column) {
        String value = row == null ? null : row.get(column);
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }
}
