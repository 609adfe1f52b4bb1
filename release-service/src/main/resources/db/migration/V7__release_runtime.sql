-- How instances run a release's artifact. Releases made before this column existed were run with java -jar.
ALTER TABLE release ADD COLUMN runtime VARCHAR(32) NOT NULL DEFAULT 'java-jar';
