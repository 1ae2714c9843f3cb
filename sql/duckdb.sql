-- The `messages` table of a dataset `smslens export` wrote, for DuckDB.
-- Generated from the schema (src/frame/dataset/mod.rs): `SMSLENS_REGENERATE=1 cargo test sql_ddl` rewrites it.
-- Replace DATASET_DIR with the dataset's folder (sql/run_duckdb.py does). The view has every column
-- of the schema, and `date` from the folder names.
CREATE OR REPLACE VIEW messages AS
SELECT * FROM read_parquet('DATASET_DIR/messages/*/*.parquet', hive_partitioning = true);
