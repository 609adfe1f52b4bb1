-- Bake time (README "Bake time and alert-driven rollback"): how long a deployment is watched after its rollout
-- before it counts as SUCCEEDED, per environment; and on a deployment, when its bake ends and, for a rollback
-- started by an alert during a bake, the deployment it rolls back.
ALTER TABLE environment ADD COLUMN bake_time VARCHAR(20);
ALTER TABLE deployment ADD COLUMN bake_until TIMESTAMPTZ;
ALTER TABLE deployment ADD COLUMN rollback_of VARCHAR(36);
CREATE INDEX deployment_baking ON deployment (bake_until) WHERE status = 'BAKING';
CREATE INDEX deployment_rollback_of ON deployment (rollback_of) WHERE rollback_of IS NOT NULL;
