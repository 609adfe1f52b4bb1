package dev.stagecraft.cli;

import java.io.PrintStream;
import java.util.Map;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stagecraft}: the operator's command line. Exit codes in {@link Outcome}. */
@Command(name = "stagecraft", mixinStandardHelpOptions = true, version = "stagecraft 0.1.0",
        description = "Releases, deployments followed live, fleets: Stagecraft's public API from a terminal.",
        subcommands = {ReleaseCommands.class, DeployCommand.class, FollowCommand.class, StatusCommand.class,
                HistoryCommand.class, GetCommand.class, ActionCommands.Promote.class, ActionCommands.Pause.class,
                ActionCommands.Resume.class, ActionCommands.Abort.class, ActionCommands.Rollback.class,
                ActionCommands.Approve.class, ActionCommands.Reject.class, UndoCommand.class, FleetCommands.class,
                DeadLetterCommands.class, ConfigCommands.class, AutoComplete.GenerateCompletion.class})
public class Stagecraft {
    @Option(names = "--context", scope = CommandLine.ScopeType.INHERIT, description = "a context of the config file instead of the current one")
    String context;

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;

    public Stagecraft(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    ApiClient api() {
        return new ApiClient(Settings.resolve(env, ConfigFile.standard(env), context));
    }

    ConfigFile config() {
        return ConfigFile.standard(env);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command line and answers its exit code; used in-process by the tests. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Stagecraft(env, out, err));
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExitCodeExceptionMapper(Stagecraft::exitCodeOf);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println(describe(e));
            return exitCodeOf(e);
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            err.println("error: " + e.getMessage());
            e.getCommandLine().usage(err);
            return Outcome.USAGE;
        });
        return cli.execute(args);
    }

    static int exitCodeOf(Throwable e) {
        if (e instanceof ApiError api) {
            return api.isGateRefusal() ? Outcome.REJECTED : Outcome.API_ERROR;
        }
        if (e instanceof ApiClient.Unreachable) {
            return Outcome.UNREACHABLE;
        }
        return Outcome.USAGE;
    }

    static String describe(Throwable e) {
        if (e instanceof ApiError api) {
            return api.describe();
        }
        return "error: " + e.getMessage();
    }
}
