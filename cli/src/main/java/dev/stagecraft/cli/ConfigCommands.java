package dev.stagecraft.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", description = "Contexts in ~/.stagecraft/config (or $STAGECRAFT_CONFIG).",
        subcommands = {ConfigCommands.SetContext.class, ConfigCommands.UseContext.class, ConfigCommands.GetContexts.class})
public class ConfigCommands {
    @ParentCommand
    Stagecraft root;

    @Command(name = "set-context", description = "Create or change a context.")
    static class SetContext implements Callable<Integer> {
        @ParentCommand
        ConfigCommands parent;
        @Parameters(description = "context name")
        String name;
        @Option(names = "--url", description = "release-service, e.g. http://127.0.0.1:8080")
        String url;
        @Option(names = "--token", description = "bearer token")
        String token;
        @Option(names = "--inventory-url")
        String inventoryUrl;
        @Option(names = "--health-url")
        String healthUrl;
        @Option(names = "--rollout-url")
        String rolloutUrl;

        @Override
        public Integer call() throws Exception {
            ConfigFile config = parent.root.config();
            set(config, "url", url);
            set(config, "token", token);
            set(config, "inventory-url", inventoryUrl);
            set(config, "health-url", healthUrl);
            set(config, "rollout-url", rolloutUrl);
            if (config.currentContext() == null) {
                config.set(name, "url", url == null ? Settings.DEFAULT_URL : url);
                config.use(name);
            }
            config.save();
            parent.root.out.println("context " + name + " saved in " + config.path());
            return Outcome.SUCCEEDED;
        }

        private void set(ConfigFile config, String key, String value) {
            if (value != null) {
                config.set(name, key, value);
            }
        }
    }

    @Command(name = "use-context", description = "Make a context the current one.")
    static class UseContext implements Callable<Integer> {
        @ParentCommand
        ConfigCommands parent;
        @Parameters(description = "context name")
        String name;

        @Override
        public Integer call() throws Exception {
            ConfigFile config = parent.root.config();
            config.use(name);
            config.save();
            parent.root.out.println("now using context " + name);
            return Outcome.SUCCEEDED;
        }
    }

    @Command(name = "get-contexts", description = "List the contexts; * marks the current one.")
    static class GetContexts implements Callable<Integer> {
        @ParentCommand
        ConfigCommands parent;

        @Override
        public Integer call() {
            ConfigFile config = parent.root.config();
            for (String name : config.contexts()) {
                parent.root.out.println((name.equals(config.currentContext()) ? "* " : "  ") + name + "  "
                        + config.context(name).getOrDefault("url", Settings.DEFAULT_URL));
            }
            return Outcome.SUCCEEDED;
        }
    }
}
