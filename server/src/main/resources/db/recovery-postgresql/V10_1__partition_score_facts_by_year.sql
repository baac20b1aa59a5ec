-- Issue #10: the score-fact read model of Observation/$aggregate partitioned by period (PostgreSQL only; H2 keeps the
-- plain table of V6_1). One partition per calendar year (UTC) of `effective` (epoch milliseconds) from 2000 to 2040,
-- and a default partition for anything outside. A query with a date range reads only the partitions of its years;
-- old years can be detached and archived (docs/operations.md). New years: create their partition before they start
-- (the same statement as below; rows already in the default partition must be moved first).
--
-- PostgreSQL requires the partition key in every unique constraint: the primary key becomes (fact_key, effective).
-- Look-ups by fact_key alone still use its index, in every partition.

ALTER TABLE recovery_score_fact RENAME TO recovery_score_fact_v6;
ALTER TABLE recovery_score_fact_v6 RENAME CONSTRAINT recovery_score_fact_pk TO recovery_score_fact_v6_pk;
ALTER INDEX recovery_score_fact_person RENAME TO recovery_score_fact_v6_person;
ALTER INDEX recovery_score_fact_period RENAME TO recovery_score_fact_v6_period;

CREATE TABLE recovery_score_fact (
    fact_key            VARCHAR(64)      NOT NULL,
    code                VARCHAR(64)      NOT NULL,
    person_key          BIGINT           NOT NULL,
    organization_id     VARCHAR(64)      NOT NULL,
    effective           BIGINT           NOT NULL,
    month_index         INTEGER          NOT NULL,
    score_value         DOUBLE PRECISION NOT NULL,
    baseline            BOOLEAN          NOT NULL,
    baseline_value      DOUBLE PRECISION NOT NULL,
    baseline_effective  BIGINT           NOT NULL,
    CONSTRAINT recovery_score_fact_pk PRIMARY KEY (fact_key, effective)
) PARTITION BY RANGE (effective);

DO $$
DECLARE
    y INTEGER;
BEGIN
    FOR y IN 2000..2040 LOOP
        EXECUTE format('CREATE TABLE recovery_score_fact_y%s PARTITION OF recovery_score_fact FOR VALUES FROM (%s) TO (%s)',
            y,
            (extract(epoch FROM make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC')) * 1000)::BIGINT,
            (extract(epoch FROM make_timestamptz(y + 1, 1, 1, 0, 0, 0, 'UTC')) * 1000)::BIGINT);
    END LOOP;
END
$$;
CREATE TABLE recovery_score_fact_other PARTITION OF recovery_score_fact DEFAULT;

-- created on the partitioned table, so every partition (and every one created later) gets them
CREATE INDEX recovery_score_fact_person ON recovery_score_fact (code, person_key, effective, fact_key);
CREATE INDEX recovery_score_fact_period ON recovery_score_fact (code, effective);

INSERT INTO recovery_score_fact SELECT fact_key, code, person_key, organization_id, effective, month_index, score_value,
    baseline, baseline_value, baseline_effective FROM recovery_score_fact_v6;
DROP TABLE recovery_score_fact_v6;
