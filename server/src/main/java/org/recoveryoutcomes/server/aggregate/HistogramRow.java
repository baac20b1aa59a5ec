package org.recoveryoutcomes.server.aggregate;

/**
 * One row read for $aggregate: within an organisation ('*' or '' when not split by organisation) and a time bucket
 * (0 when not split by time), the people whose latest score is {@code value}, with their change figures.
 */
record HistogramRow(String organizationId, int bucket, double value, CellFigures figures) {
}
