-- The port of each fleet's router, chosen when the fleet is first routed and reused when inventory-service restarts,
-- so that a fleet's routerUrl does not change. Null until the fleet's router was opened once.
ALTER TABLE fleet ADD COLUMN router_port INTEGER CHECK (router_port BETWEEN 1 AND 65535);
