package org.recoveryoutcomes.server.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The durable half of the audit trail: each request's AuditEvent (JSON) is inserted and committed here before the
 * first byte of its response is sent, so a crash right after a response loses no event. {@link AuditRelay} moves the
 * rows into FHIR AuditEvent resources. The table is the project's own, created if missing (H2 and PostgreSQL).
 */
@Component
class AuditOutbox {

    record Row(String id, String event) {
    }

    private final JdbcTemplate jdbc;

    AuditOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("create table if not exists recovery_audit_outbox ("
                + "id varchar(64) primary key, recorded timestamp not null, event varchar(1000000) not null)");
    }

    /** Inserts in its own (auto-committed) statement: committed when this returns. */
    void append(String id, String eventJson) {
        jdbc.update("insert into recovery_audit_outbox (id, recorded, event) values (?, ?, ?)", id, Timestamp.from(Instant.now()), eventJson);
    }

    List<Row> oldest(int limit) {
        return jdbc.query("select id, event from recovery_audit_outbox order by recorded, id fetch first " + limit + " rows only",
                (rs, n) -> new Row(rs.getString(1), rs.getString(2)));
    }

    void remove(String id) {
        jdbc.update("delete from recovery_audit_outbox where id = ?", id);
    }

    long size() {
        Long n = jdbc.queryForObject("select count(*) from recovery_audit_outbox", Long.class);
        return n == null ? 0 : n;
    }
}
