-- What release-service knows of inventory-service's fleets, kept from its dev.stagecraft.fleet.changed events
-- on stagecraft.instances (FleetViews). A projection, never asked synchronously: a fleet that has not
-- announced itself yet has no row. updated_at is the event's `at` (when inventory-service changed the fleet),
-- not when the row was written, so that an event arriving late never overwrites a newer one.
CREATE TABLE fleet_view (
    service     VARCHAR(63) NOT NULL,
    environment VARCHAR(63) NOT NULL,
    replicas    INTEGER     NOT NULL,
    instances   INTEGER     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (service, environment)
);
