package org.recoveryoutcomes.server.aggregate;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The general computation over the facts, for what the cube cannot answer (a period that is not a whole cell, a subset
 * of organisations): one pass over the code's facts in the period, in the order of the index (code, person_key,
 * effective, fact_key), so that each person's facts arrive together and in order; per person and cell the last one is
 * the latest score. Defines the same figures as {@link Contributions}, and computes every stratifier of a request in
 * the same pass. A window function (ROW_NUMBER per person and cell) did the same in SQL, but took minutes at a million
 * facts on H2.
 */
@Component
class FactQueries {

    /** The cells of one stratifier: time cells (MONTH, QUARTER, YEAR; null for the whole period), per organisation or not. */
    record Cells(Grain grain, boolean perOrganisation) {
    }

    private record Cell(String organizationId, int bucket, double value) {
    }

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final Database database;

    FactQueries(FactStore store) {
        this.jdbc = store.jdbc();
        this.database = store.database();
        this.streaming = new JdbcTemplate(jdbc.getDataSource());
        streaming.setFetchSize(10_000);
    }

    /**
     * @param from   first instant (epoch ms, inclusive) or null
     * @param to     end instant (epoch ms, exclusive) or null
     * @param only   organisations to include, or null for all
     * @param except organisations to leave out
     * @return the rows of each of {@code cells}
     */
    Map<Cells, List<HistogramRow>> read(String code, Collection<Cells> cells, Long from, Long to, Collection<String> only,
            Collection<String> except, ChangeRule rule) {
        Map<Cells, List<HistogramRow>> out = new LinkedHashMap<>();
        if (only != null && only.isEmpty()) {
            cells.forEach(c -> out.put(c, List.of()));
            return out;
        }
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder("code = ?");
        args.add(code);
        if (from != null) {
            where.append(" AND effective >= ?");
            args.add(from);
        }
        if (to != null) {
            where.append(" AND effective < ?");
            args.add(to);
        }
        if (only != null) {
            where.append(" AND organization_id IN (").append(placeholders(only.size())).append(')');
            args.addAll(only);
        }
        if (!except.isEmpty()) {
            where.append(" AND organization_id NOT IN (").append(placeholders(except.size())).append(')');
            args.addAll(except);
        }
        List<Cells> wanted = List.copyOf(new LinkedHashSet<>(cells));
        List<Map<Cell, CellFigures>> sums = new ArrayList<>();
        wanted.forEach(c -> sums.add(new HashMap<>()));
        Person person = new Person();
        streaming.query("SELECT person_key, organization_id, effective, month_index, score_value, baseline_value, baseline_effective"
                + " FROM recovery_score_fact" + database.personOrder + " WHERE " + where
                + " ORDER BY code, person_key, effective, fact_key", rs -> {
                    long key = rs.getLong(1);
                    if (person.size > 0 && person.key != key) {
                        person.contribute(wanted, sums, rule);
                        person.size = 0;
                    }
                    person.key = key;
                    person.add(rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getDouble(5), rs.getDouble(6), rs.getLong(7));
                }, args.toArray());
        if (person.size > 0) {
            person.contribute(wanted, sums, rule);
        }
        for (int i = 0; i < wanted.size(); i++) {
            List<HistogramRow> rows = new ArrayList<>();
            sums.get(i).forEach((cell, f) -> rows.add(new HistogramRow(cell.organizationId(), cell.bucket(), cell.value(), f)));
            out.put(wanted.get(i), rows);
        }
        return out;
    }

    /** One person's facts in the period, in order (reused from person to person). */
    private static final class Person {
        long key;
        int size;
        String[] organization = new String[16];
        long[] effective = new long[16];
        int[] month = new int[16];
        double[] value = new double[16];
        double[] baselineValue = new double[16];
        long[] baselineEffective = new long[16];
        private final Set<Long> seen = new HashSet<>();

        void add(String org, long eff, int monthIndex, double v, double bv, long be) {
            if (size == effective.length) {
                int n = size * 2;
                organization = Arrays.copyOf(organization, n);
                effective = Arrays.copyOf(effective, n);
                month = Arrays.copyOf(month, n);
                value = Arrays.copyOf(value, n);
                baselineValue = Arrays.copyOf(baselineValue, n);
                baselineEffective = Arrays.copyOf(baselineEffective, n);
            }
            organization[size] = org;
            effective[size] = eff;
            month[size] = monthIndex;
            value[size] = v;
            baselineValue[size] = bv;
            baselineEffective[size] = be;
            size++;
        }

        /** Per stratifier and cell, the person's latest score there: the last of their facts in the cell. */
        void contribute(List<Cells> wanted, List<Map<Cell, CellFigures>> sums, ChangeRule rule) {
            for (int c = 0; c < wanted.size(); c++) {
                Cells cells = wanted.get(c);
                Map<Cell, CellFigures> sum = sums.get(c);
                seen.clear();
                for (int i = size - 1; i >= 0; i--) {
                    int bucket = cells.grain() == null ? 0 : cells.grain().bucket(month[i]);
                    String org = cells.perOrganisation() ? organization[i] : CubeKey.ANY_ORGANISATION;
                    // cell identity within one person: organisation (by position of its first fact) and bucket
                    long id = (long) (cells.perOrganisation() ? firstOf(org, i) : 0) << 32 | (bucket & 0xffffffffL);
                    if (!seen.add(id)) {
                        continue;
                    }
                    CellFigures f = sum.computeIfAbsent(new Cell(org, bucket, value[i]), k -> new CellFigures());
                    f.people++;
                    if (effective[i] > baselineEffective[i]) {
                        double change = value[i] - baselineValue[i];
                        int reliable = rule.classify(change);
                        f.withChange++;
                        f.changeSum += change;
                        f.improved += reliable > 0 ? 1 : 0;
                        f.deteriorated += reliable < 0 ? 1 : 0;
                    }
                }
            }
        }

        private int firstOf(String org, int upTo) {
            for (int i = 0; i <= upTo; i++) {
                if (organization[i].equals(org)) {
                    return i;
                }
            }
            return upTo;
        }
    }

    /**
     * The month indexes of the first and the last score of a code, or null when it has none. Both read one row of the
     * index (code, effective). The ORDER BY names the index's columns: H2 reads an index in order only when the ORDER BY
     * matches its columns, and with {@code ORDER BY effective} alone it sorted every fact of the code (minutes at a
     * million facts).
     */
    int[] monthRange(String code) {
        List<Integer> first = jdbc.queryForList("SELECT month_index FROM recovery_score_fact WHERE code = ?"
                + " ORDER BY code, effective FETCH FIRST 1 ROWS ONLY", Integer.class, code);
        if (first.isEmpty()) {
            return null;
        }
        List<Integer> last = jdbc.queryForList("SELECT month_index FROM recovery_score_fact WHERE code = ?"
                + " ORDER BY code DESC, effective DESC FETCH FIRST 1 ROWS ONLY", Integer.class, code);
        return new int[]{first.get(0), last.get(0)};
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
