package org.recoveryoutcomes.server.aggregate;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds pending deltas into the cube, and builds the cube (and the baseline columns) from the facts. Callers supply
 * the transaction. Both take the cube lock row, so only one runs at a time, across server instances too.
 */
@Component
class CubeMaintenance {

    static final String CUBE_SIGNATURE = "cube-signature";
    /** Bump when the cube's cells change meaning or new grains are added: the cube is then rebuilt at start-up. */
    private static final String CUBE_FORMAT = "2";
    private static final int COMPACT_BATCH = 50_000;
    private static final String KEY = "code = ? AND grain = ? AND organization_id = ? AND bucket = ? AND score_value = ?";

    private record Key(String code, CubeKey cell) {
    }

    private final FactStore store;
    private final JdbcTemplate jdbc;
    private final ScoreCodes codes;

    CubeMaintenance(FactStore store, ScoreCodes codes) {
        this.store = store;
        this.jdbc = store.jdbc();
        this.codes = codes;
    }

    private void lock() {
        jdbc.queryForList("SELECT state_value FROM recovery_aggregate_state WHERE name = 'cube-lock' FOR UPDATE", String.class);
    }

    /** Folds up to one batch of deltas into the cube; returns how many it folded. */
    int compact() {
        lock();
        List<Long> ids = new ArrayList<>();
        Map<Key, CellFigures> sums = new HashMap<>();
        jdbc.query("SELECT id, code, grain, organization_id, bucket, score_value, people, with_change, change_sum, improved,"
                + " deteriorated FROM recovery_score_cube_delta ORDER BY id FETCH FIRST " + COMPACT_BATCH + " ROWS ONLY", rs -> {
                    ids.add(rs.getLong(1));
                    Key k = new Key(rs.getString(2), new CubeKey(rs.getString(4), Grain.ofCode(rs.getString(3).charAt(0)),
                            rs.getInt(5), rs.getDouble(6)));
                    sums.computeIfAbsent(k, x -> new CellFigures()).add(new CellFigures(rs.getInt(7), rs.getInt(8),
                            rs.getDouble(9), rs.getInt(10), rs.getInt(11)), 1);
                });
        if (ids.isEmpty()) {
            return 0;
        }
        sums.values().removeIf(CellFigures::isZero);
        List<Map.Entry<Key, CellFigures>> rows = new ArrayList<>(sums.entrySet());
        int[][] updated = jdbc.batchUpdate("UPDATE recovery_score_cube SET people = people + ?, with_change = with_change + ?,"
                + " change_sum = change_sum + ?, improved = improved + ?, deteriorated = deteriorated + ? WHERE " + KEY, rows, 1000,
                (ps, e) -> {
                    CellFigures f = e.getValue();
                    ps.setInt(1, f.people);
                    ps.setInt(2, f.withChange);
                    ps.setDouble(3, f.changeSum);
                    ps.setInt(4, f.improved);
                    ps.setInt(5, f.deteriorated);
                    setKey(ps, 6, e.getKey());
                });
        List<Map.Entry<Key, CellFigures>> missing = new ArrayList<>();
        int i = 0;
        for (int[] batch : updated) {
            for (int count : batch) {
                if (count == 0) {
                    missing.add(rows.get(i));
                }
                i++;
            }
        }
        insert(missing);
        jdbc.batchUpdate("DELETE FROM recovery_score_cube WHERE " + KEY + " AND people = 0 AND with_change = 0"
                + " AND improved = 0 AND deteriorated = 0", rows, 1000, (ps, e) -> setKey(ps, 1, e.getKey()));
        jdbc.batchUpdate("DELETE FROM recovery_score_cube_delta WHERE id = ?", ids, 1000, (ps, id) -> ps.setLong(1, id));
        return ids.size();
    }

    /**
     * Rebuilds the cube from the facts, correcting baseline columns on the way: streams the facts person by person and
     * adds up {@link Contributions} of each. Pending deltas are dropped (the facts already hold their changes).
     */
    void rebuild() {
        lock();
        jdbc.update("DELETE FROM recovery_score_cube_delta");
        jdbc.update("DELETE FROM recovery_score_cube");
        Map<Key, CellFigures> cube = new TreeMap<>((a, b) -> {
            int c = a.code().compareTo(b.code());
            return c != 0 ? c : a.cell().compareTo(b.cell());
        });
        List<FactStore.StoredFact> person = new ArrayList<>();
        List<FactStore.StoredFact> wrongBaselines = new ArrayList<>();
        Runnable flush = () -> {
            if (person.isEmpty()) {
                return;
            }
            String code = person.get(0).fact().code();
            wrongBaselines.addAll(FactStore.withBaselines(person));
            if (wrongBaselines.size() >= 10_000) {
                store.updateBaselines(wrongBaselines);
                wrongBaselines.clear();
            }
            List<ScoreFact> facts = person.stream().map(FactStore.StoredFact::fact).toList();
            Contributions.of(facts, codes.rule(code)).forEach((k, v) ->
                    cube.computeIfAbsent(new Key(code, k), x -> new CellFigures()).add(v, 1));
            person.clear();
        };
        JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
        streaming.setFetchSize(5_000);
        streaming.query("SELECT fact_key, code, person_key, organization_id, effective, month_index, score_value, baseline,"
                + " baseline_value, baseline_effective FROM recovery_score_fact ORDER BY code, person_key, effective, fact_key", rs -> {
                    FactStore.StoredFact f = new FactStore.StoredFact(new ScoreFact(rs.getString(1), rs.getString(2), rs.getLong(3),
                            rs.getString(4), rs.getLong(5), rs.getInt(6), rs.getDouble(7)), rs.getBoolean(8), rs.getDouble(9),
                            rs.getLong(10));
                    if (!person.isEmpty() && (person.get(0).fact().personKey() != f.fact().personKey()
                            || !person.get(0).fact().code().equals(f.fact().code()))) {
                        flush.run();
                    }
                    person.add(f);
                });
        flush.run();
        store.updateBaselines(wrongBaselines);
        insert(new ArrayList<>(cube.entrySet()));
        store.putState(CUBE_SIGNATURE, signature());
    }

    /** What the cube depends on besides the facts: its format and the reliable-change rules. */
    String signature() {
        return CUBE_FORMAT + ":" + codes.signature();
    }

    private void insert(List<Map.Entry<Key, CellFigures>> rows) {
        jdbc.batchUpdate("INSERT INTO recovery_score_cube (code, grain, organization_id, bucket, score_value, people, with_change,"
                + " change_sum, improved, deteriorated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows, 1000, (ps, e) -> {
                    setKey(ps, 1, e.getKey());
                    CellFigures f = e.getValue();
                    ps.setInt(6, f.people);
                    ps.setInt(7, f.withChange);
                    ps.setDouble(8, f.changeSum);
                    ps.setInt(9, f.improved);
                    ps.setInt(10, f.deteriorated);
                });
    }

    private static void setKey(java.sql.PreparedStatement ps, int first, Key k) throws java.sql.SQLException {
        ps.setString(first, k.code());
        ps.setString(first + 1, String.valueOf(k.cell().grain().code));
        ps.setString(first + 2, k.cell().organizationId());
        ps.setInt(first + 3, k.cell().bucket());
        ps.setDouble(first + 4, k.cell().value());
    }
}
