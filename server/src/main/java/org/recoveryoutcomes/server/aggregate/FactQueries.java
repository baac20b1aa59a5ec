package org.recoveryoutcomes.server.aggregate;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The general query over the facts, for what the cube cannot answer (a period that is not a whole cell, a subset of
 * organisations): per person and cell the latest score by a window function, then grouped by value. Defines the same
 * figures as {@link Contributions}; costs a scan of the facts in the period.
 */
@Component
class FactQueries {

    private final JdbcTemplate jdbc;

    FactQueries(FactStore store) {
        this.jdbc = store.jdbc();
    }

    /**
     * @param grain           time cells (MONTH, QUARTER, YEAR) or null for the whole period
     * @param perOrganisation cells per organisation, else across organisations
     * @param from            first instant (epoch ms, inclusive) or null
     * @param to              end instant (epoch ms, exclusive) or null
     * @param only            organisations to include, or null for all
     * @param except          organisations to leave out
     */
    List<HistogramRow> read(String code, Grain grain, boolean perOrganisation, Long from, Long to, Collection<String> only,
            Collection<String> except, ChangeRule rule) {
        List<Object> args = new ArrayList<>();
        String bucket = grain == null ? "0" : "month_index / " + grain.months;
        String org = perOrganisation ? "organization_id" : "'*'";
        StringBuilder partition = new StringBuilder("person_key");
        if (perOrganisation) {
            partition.append(", organization_id");
        }
        if (grain != null) {
            partition.append(", ").append(bucket);
        }
        String later = "effective > baseline_effective";
        String improved = "0";
        String deteriorated = "0";
        if (rule.applicable()) {
            boolean higher = rule.direction() == ChangeRule.Direction.HIGHER_IS_BETTER;
            improved = "CASE WHEN " + later + " AND score_value - baseline_value " + (higher ? ">=" : "<=") + " ? THEN 1 ELSE 0 END";
            deteriorated = "CASE WHEN " + later + " AND score_value - baseline_value " + (higher ? "<=" : ">=") + " ? THEN 1 ELSE 0 END";
            args.add(rule.improvedBound());
            args.add(rule.deterioratedBound());
        }
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
            if (only.isEmpty()) {
                return List.of();
            }
            where.append(" AND organization_id IN (").append(placeholders(only.size())).append(')');
            args.addAll(only);
        }
        if (!except.isEmpty()) {
            where.append(" AND organization_id NOT IN (").append(placeholders(except.size())).append(')');
            args.addAll(except);
        }
        String sql = "SELECT " + org + ", " + bucket + ", score_value, COUNT(*),"
                + " SUM(CASE WHEN " + later + " THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN " + later + " THEN score_value - baseline_value ELSE 0 END),"
                + " SUM(" + improved + "), SUM(" + deteriorated + ")"
                + " FROM (SELECT organization_id, month_index, effective, score_value, baseline_value, baseline_effective,"
                + " ROW_NUMBER() OVER (PARTITION BY " + partition + " ORDER BY effective DESC, fact_key DESC) AS rn"
                + " FROM recovery_score_fact WHERE " + where + ") latest WHERE rn = 1"
                + " GROUP BY " + (perOrganisation ? "organization_id, " : "") + (grain == null ? "" : bucket + ", ") + "score_value";
        return jdbc.query(sql, (rs, i) -> new HistogramRow(rs.getString(1), rs.getInt(2), rs.getDouble(3),
                new CellFigures(rs.getInt(4), rs.getInt(5), rs.getDouble(6), rs.getInt(7), rs.getInt(8))), args.toArray());
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
