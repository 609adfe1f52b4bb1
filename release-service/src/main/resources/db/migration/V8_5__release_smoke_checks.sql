-- A release's smoke checks (JSON list); releases made before this column have none.
ALTER TABLE release ADD COLUMN smoke_checks TEXT;
