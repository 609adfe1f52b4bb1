package dev.stagecraft.agent;

import java.io.IOException;

/** The router process on Vert.x ({@code dev.stagecraft.router.RouterMain}), driven through its admin API. */
final class JavaRouterEngine implements RouterEngine {
    private final RouterRunner runner;
    private final RouterAdmin admin = new RouterAdmin();

    JavaRouterEngine(AgentConfig config, RouterSettings settings, ProcessLauncher launcher) {
        this.runner = new RouterRunner(config, settings, launcher);
    }

    @Override
    public ProcessLauncher.Launched launch(RouterHandle router) throws IOException {
        return runner.launch(router);
    }

    @Override
    public boolean isLive(RouterHandle router) {
        return admin.isLive(router);
    }

    @Override
    public RouterAdmin.Table put(RouterHandle router) throws IOException {
        return admin.put(router);
    }

    @Override
    public RouterAdmin.Table get(RouterHandle router) throws IOException {
        return admin.get(router);
    }

    @Override
    public String exitOf(RouterHandle router) {
        return runner.exitOf(router);
    }

    @Override
    public void terminate(RouterHandle router) {
        runner.terminate(router);
    }

    @Override
    public void forget(String routerId) {
        runner.forget(routerId);
    }
}
