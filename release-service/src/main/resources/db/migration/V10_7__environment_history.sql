-- An environment's history (GET /api/v1/environments/{name}/history) reads its deployments and flag changes newest first.
CREATE INDEX flag_history_environment ON flag_history (environment, id DESC);
CREATE INDEX deployment_by_environment ON deployment (environment, created_at DESC);
