-- Run once by the postgres image, on an empty data directory (/docker-entrypoint-initdb.d).
-- One database per service: no service reads another's tables. Each service's Flyway migrations
-- create its tables (and the shared outbox_event and processed_event) when it starts.
CREATE DATABASE "release";
CREATE DATABASE "rollout";
CREATE DATABASE "inventory";
CREATE DATABASE "health";
