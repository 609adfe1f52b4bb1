package dev.stagecraft.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a benchmark run's table into docs/performance.md, so the reference shows the latest measured figures and not
 * only a copy made by hand. Each benchmark owns one section, fenced by {@code <!-- benchmark:NAME begin -->} and
 * {@code <!-- benchmark:NAME end -->}; a run replaces what is between them and leaves the rest of the page alone
 * (a page without the fence gets it appended). {@code -Dbench.docs=false} keeps the page as it is.
 */
final class BenchmarkReport {
    private BenchmarkReport() {
    }

    /** Writes {@code lines} into {@code name}'s section of docs/performance.md under {@code root}; answers the page. */
    static Path publish(Path root, String name, List<String> lines) throws IOException {
        Path page = root.resolve("docs/performance.md");
        if (!Boolean.parseBoolean(System.getProperty("bench.docs", "true")) || !Files.isRegularFile(page)) {
            return null;
        }
        List<String> updated = replaceSection(Files.readAllLines(page, StandardCharsets.UTF_8), name, lines);
        Files.write(page, updated, StandardCharsets.UTF_8);
        System.out.println("written to " + page + " (section " + name + ")");
        return page;
    }

    /** The page with {@code name}'s fenced section holding {@code lines}: replaced where fenced, appended if not. */
    static List<String> replaceSection(List<String> page, String name, List<String> lines) {
        String begin = "<!-- benchmark:" + name + " begin -->";
        String end = "<!-- benchmark:" + name + " end -->";
        int from = page.indexOf(begin);
        int to = from < 0 ? -1 : page.subList(from, page.size()).indexOf(end);
        boolean fenced = to > 0;
        to += from;
        List<String> out = new ArrayList<>();
        if (!fenced) {
            out.addAll(page);
            out.add("");
            out.add(begin);
        } else {
            out.addAll(page.subList(0, from + 1));
        }
        out.addAll(lines);
        if (!fenced) {
            out.add(end);
        } else {
            out.addAll(page.subList(to, page.size()));
        }
        return out;
    }
}
