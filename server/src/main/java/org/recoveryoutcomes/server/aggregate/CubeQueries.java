package org.recoveryoutcomes.server.aggregate;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/** Reads the pre-aggregated cube (compacted rows plus pending deltas): a few thousand rows however many facts. */
@Component
class CubeQueries {

    private static final String CELLS = "SELECT organization_id, bucket, score_value, people, with_change, change_sum, improved,"
            + " deteriorated FROM %s WHERE code = ? AND grain = ? AND organization_id %s AND bucket >= ? AND bucket <= ?";

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
        String sql = "SELECT organization_id, bucket, score_value, SUM(people), SUM(with_change), SUM(change_sum), SUM(improved),"
                + " SUM(deteriorated) FROM (" + CELLS.formatted("recovery_score_cube", org) + " UNION ALL "
                + CELLS.formatted("recovery_score_cube_delta", org) + ") x GROUP BY organization_id, bucket, score_value";
        String g = String.valueOf(grain.code);
        return jdbc.query(sql, (rs, i) -> new HistogramRow(rs.getString(1), rs.getInt(2), rs.getDouble(3),
                        new CellFigures(rs.getInt(4), rs.getInt(5), rs.getDouble(6), rs.getInt(7), rs.getInt(8))),
                code, g, fromBucket, toBucket, code, g, fromBucket, toBucket)
                .stream().filter(r -> r.figures().people != 0 || r.figures().withChange != 0).toList();
    }
}
