package org.recoveryoutcomes.server.demo;

import org.recoveryoutcomes.testdata.region.RegionSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.LocalDate;

/**
 * The synthetic region loaded on first start, so a new server has something to show.
 *
 * @param enabled       load it when the database has no Patient yet (off in the postgres profile and in tests)
 * @param patients      people in the region
 * @param organisations trusts, each with four teams
 * @param seed          random seed (ids start with {@code r<seed>-})
 * @param years         length of the period, ending the day before loading
 */
@ConfigurationProperties("recovery.demo")
record DemoSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("200") int patients,
        @DefaultValue("3") int organisations,
        @DefaultValue("42") long seed,
        @DefaultValue("2") int years) {

    RegionSettings region(LocalDate end) {
        // one person per transaction: the GAS T-score keeper flushes the persistence context for every rating, and a
        // flush walks everything the transaction has written, so a ten-person transaction cost several times more
        return new RegionSettings(patients, organisations, years, seed, end, 1);
    }
}
