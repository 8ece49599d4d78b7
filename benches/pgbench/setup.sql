-- The reference for PostgreSQL write throughput: pgbench inserting single rows shaped like a
-- referral (a uuid-sized key, a few short columns, a ~1 KB body), each its own transaction.
DROP TABLE IF EXISTS pgbench_referral_inserts;
CREATE TABLE pgbench_referral_inserts (
    id text PRIMARY KEY,
    authority_code text NOT NULL,
    status text NOT NULL,
    received_at timestamptz NOT NULL,
    version bigint NOT NULL,
    body bytea NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
