-- One durable single-row insert per transaction (pgbench -f insert.sql).
INSERT INTO pgbench_referral_inserts
VALUES (gen_random_uuid()::text, 'E10000034', 'RECEIVED', now(), 1,
        decode(repeat('ab', 1000), 'hex'), now(), now());
