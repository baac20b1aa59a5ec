package org.recoveryoutcomes.server.aggregate;

/** A cube row's key within one score code: organisation ({@link #ANY_ORGANISATION} for all), grain, bucket, value. */
record CubeKey(String organizationId, Grain grain, int bucket, double value) implements Comparable<CubeKey> {

    static final String ANY_ORGANISATION = "*";

    @Override
    public int compareTo(CubeKey o) {
        int c = organizationId.compareTo(o.organizationId);
        if (c == 0) {
            c = grain.compareTo(o.grain);
        }
        if (c == 0) {
            c = Integer.compare(bucket, o.bucket);
        }
        return c != 0 ? c : Double.compare(value, o.value);
    }
}
