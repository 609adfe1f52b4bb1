-- A deployment's own smoke checks (JSON list), run besides its release's; deployments made before this column have none.
ALTER TABLE deployment ADD COLUMN smoke_checks TEXT;
