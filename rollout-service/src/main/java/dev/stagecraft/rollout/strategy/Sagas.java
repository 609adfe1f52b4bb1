package dev.stagecraft.rollout.strategy;

import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.StrategySpec;

/** The saga for a strategy: rolling walks batches, canary and blue/green walk a plan of pool stages. */
public final class Sagas {

    public static Saga start(DeploymentRequested request) {
        return StrategySpec.ROLLING.equals(request.strategy().type()) ? RollingSaga.start(request)
                : PoolSaga.start(request);
    }

    public static Saga of(SagaState state) {
        return StrategySpec.ROLLING.equals(state.strategyType) ? new RollingSaga(state) : new PoolSaga(state);
    }

    private Sagas() {
    }
}
