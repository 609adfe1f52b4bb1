package dev.stagecraft.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * {@code ~/.stagecraft/config} (or {@code $STAGECRAFT_CONFIG}): named contexts, like kubectl's, as properties:
 * {@code current-context=local}, {@code context.local.url=…}, {@code context.local.token=…}. Kept readable
 * by its owner only, since it may hold tokens.
 */
public class ConfigFile {
    static final String CURRENT = "current-context";
    private final Path path;
    private final Properties properties = new Properties();

    public ConfigFile(Path path) {
        this.path = path;
        if (Files.isRegularFile(path)) {
            try (Reader reader = Files.newBufferedReader(path)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }
    }

    public static ConfigFile standard(Map<String, String> env) {
        String explicit = env.get("STAGECRAFT_CONFIG");
        return new ConfigFile(explicit != null ? Path.of(explicit)
                : Path.of(System.getProperty("user.home"), ".stagecraft", "config"));
    }

    public String currentContext() {
        return properties.getProperty(CURRENT);
    }

    /** The named context's settings, or the current context's; empty when there is none. */
    public Map<String, String> context(String name) {
        String chosen = name != null ? name : currentContext();
        Map<String, String> values = new LinkedHashMap<>();
        if (chosen == null) {
            return values;
        }
        String prefix = "context." + chosen + ".";
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                values.put(key.substring(prefix.length()), properties.getProperty(key));
            }
        }
        if (name != null && values.isEmpty()) {
            throw new IllegalArgumentException("no context named " + name + " in " + path);
        }
        return values;
    }

    public TreeSet<String> contexts() {
        TreeSet<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("context.")) {
                String rest = key.substring("context.".length());
                names.add(rest.substring(0, rest.lastIndexOf('.')));
            }
        }
        return names;
    }

    public void set(String context, String key, String value) {
        properties.setProperty("context." + context + "." + key, value);
    }

    public void use(String context) {
        if (!contexts().contains(context)) {
            throw new IllegalArgumentException("no context named " + context + " in " + path);
        }
        properties.setProperty(CURRENT, context);
    }

    public void save() throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        try (Writer writer = Files.newBufferedWriter(path)) {
            properties.store(writer, "stagecraft contexts");
        }
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the platform's defaults apply
        }
    }

    public Path path() {
        return path;
    }
}
