-- Issue #10: which caller each of HAPI's paging links (?_getpages=<search id>) was issued to, shared by all nodes
-- (PagingOwners). owner is a SHA-256 digest (hex) of the caller's issuer, client, subject and scopes. Rows expire with
-- HAPI's search results. Portable SQL: H2 2.x and PostgreSQL 14+.
CREATE TABLE recovery_paging_owner (
    search_id  VARCHAR(64) NOT NULL,
    owner      VARCHAR(64) NOT NULL,
    expires    BIGINT      NOT NULL,
    CONSTRAINT recovery_paging_owner_pk PRIMARY KEY (search_id, owner)
);
CREATE INDEX recovery_paging_owner_expires ON recovery_paging_owner (expires);
