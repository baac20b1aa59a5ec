package org.recoveryoutcomes.server.aggregate;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the pre-aggregated cube (compacted rows plus pending deltas): a few thousand rows however many facts. The two
 * tables are read by their primary key / cell index and added up here: H2 ran the UNION ALL … GROUP BY of both through
 * a temporary table.
 */
@Component
class CubeQueries {

    private static final String CELLS = "SELECT organization_id, bucket, score_value, people, with_change, change_sum, improved,"
            + " deteriorated FROM %s WHERE code = ? AND grain = ? AND organization_id %s AND bucket >= ? AND bucket <= ?";

    private record Cell(String organizationId, int bucket, double value) {
    }

    private final JdbcTemplate jdbc;

    CubeQueries(FactStore store) {
        this.jdbc = store.jdbc();
    }

    /**
     * @param perOrganisation rows per organisation, else the any-organisation rows
     * @param fromBucket      first bucket (inclusive)
     * @param toBucket        last bucket (inclusive)
     */
    List<HistogramRow> read(String code, Grain grain, boolean perOrganisation, int fromBucket, int toBucket) {
        String org = perOrganisation ? "<> '*'" : "= '*'";
        String g = String.valueOf(grain.code);
        Map<Cell, CellFigures> sums = new LinkedHashMap<>();
        for (String table : List.of("recovery_score_cube", "recovery_score_cube_delta")) {
            jdbc.query(CELLS.formatted(table, org), rs -> {
                CellFigures f = new CellFigures(rs.getInt(4), rs.getInt(5), rs.getDouble(6), rs.getInt(7), rs.getInt(8));
                Cell c = new Cell(rs.getString(1), rs.getInt(2), rs.getDouble(3));
                CellFigures sum = sums.putIfAbsent(c, f);
                if (sum != null) {
                    sum.add(f, 1);
                }
            }, code, g, fromBucket, toBucket);
        }
        List<HistogramRow> rows = new ArrayList<>(sums.size());
        sums.forEach((c, f) -> {
            if (f.people != 0 || f.withChange != 0) {
                rows.add(new HistogramRow(c.organizationId(), c.bucket(), c.value(), f));
            }
        });
        return rows;
    }
}
