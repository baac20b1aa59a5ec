package org.recoveryoutcomes.server.aggregate;

import java.util.Comparator;

/**
 * One row of the read model: a score of one person (pseudonymous key), taken at an organisation ('' when unknown),
 * at an instant (epoch ms; monthIndex in the configured zone), with a numeric value (booleans 1 / 0).
 */
record ScoreFact(String factKey, String code, long personKey, String organizationId, long effective, int monthIndex,
        double value) {

    /** The order of one person's scores: by date, ties by fact key. "Latest" and "first" follow it everywhere. */
    static final Comparator<ScoreFact> ORDER = Comparator.comparingLong(ScoreFact::effective).thenComparing(ScoreFact::factKey);
}
