-- The deployments of each fleet as stagecraft.deployments tells them, so that inventory-service knows whether one
-- runs: a running fleet is not scaled by PUT /api/v1/fleets (409), and the reconciler leaves its instances to the saga.
-- An end read before the start (other partitions, a replay) is kept: a start never revives an ended deployment.
CREATE TABLE fleet_deployment (
    deployment_id VARCHAR(200) PRIMARY KEY,
    service       VARCHAR(200) NOT NULL,
    environment   VARCHAR(200) NOT NULL,
    running       BOOLEAN      NOT NULL,
    status        VARCHAR(40)  NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX fleet_deployment_running ON fleet_deployment (service, environment) WHERE running;
