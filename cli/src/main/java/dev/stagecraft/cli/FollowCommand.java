package dev.stagecraft.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "follow", description = "Watch a deployment until it ends; the exit code is its outcome's.")
public class FollowCommand implements Callable<Integer> {
    @ParentCommand
    Stagecraft root;
    @Parameters(description = "deployment id")
    String id;
    @Option(names = "--output", description = "live (on a terminal), text or json")
    String output;

    @Override
    public Integer call() {
        return new Follower(root.api(), root.out, Follower.modeFor(output)).follow(id);
    }
}
