package org.recoveryoutcomes.server.demo;

import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.RecoveryOutcomesServer;
import org.recoveryoutcomes.testdata.region.RegionSettings;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server started on an empty database, with the demo switched on as it is by default. Its own context, because the
 * shared test context has the demo off and other tests' Patients in it: only a fresh database can show the first start.
 */
class DemoFirstStartTest {

    @Test
    void aFirstStartLoadsTheDemoRegionInTheBackgroundAndALaterLoadLeavesTheDatabaseAlone() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RecoveryOutcomesServer.class).run(
                "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:demo-first-start",
                "--recovery.demo.patients=6", "--recovery.demo.organisations=1", "--recovery.demo.seed=77")) {
            DemoLoader loader = app.getBean(DemoLoader.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);

            DemoLoader.Outcome first = loader.started().get(5, TimeUnit.MINUTES);

            assertThat(first.loaded()).isTrue();
            assertThat(first.people()).isEqualTo(6);
            assertThat(patients(jdbc)).isEqualTo(6);
            assertThat(jdbc.queryForObject("select count(*) from HFJ_RESOURCE where RES_TYPE = 'QuestionnaireResponse'"
                    + " and FHIR_ID like 'r77-%'", Long.class)).isGreaterThan(6 * 5L);

            DemoLoader.Outcome again = loader.loadIfEmpty(RegionSettings.of(2, 1, 78));

            assertThat(again.loaded()).isFalse();
            assertThat(patients(jdbc)).isEqualTo(6);
        }
    }

    private static long patients(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from HFJ_RESOURCE where RES_TYPE = 'Patient' and RES_DELETED_AT is null", Long.class);
    }
}
