package org.recoveryoutcomes.server.demo;

import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.RecoveryOutcomesServer;
import org.recoveryoutcomes.testdata.region.RegionSettings;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
            String readiness = "http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/actuator/health/readiness";

            // six people take seconds to load; the server answers its probe at once
            HttpResponse<String> whileLoading = get(readiness);
            boolean loadedBeforeTheProbe = loader.started().isDone();
            DemoLoader.Outcome first = loader.started().get(5, TimeUnit.MINUTES);

            if (!loadedBeforeTheProbe) {
                assertThat(whileLoading.statusCode()).as(whileLoading.body()).isEqualTo(503);
                assertThat(whileLoading.body()).contains("OUT_OF_SERVICE");
            }
            HttpResponse<String> loaded = get(readiness);
            assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
            assertThat(loader.state()).isEqualTo(DemoLoader.State.LOADED);

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

    @Test
    void switchedOffItLoadsNothingAndTheServerIsReadyAtOnce() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RecoveryOutcomesServer.class).run(
                "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:demo-switched-off", "--recovery.demo.enabled=false")) {
            HttpResponse<String> readiness = get("http://localhost:" + app.getEnvironment().getProperty("local.server.port")
                    + "/actuator/health/readiness");

            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
            assertThat(app.getBean(DemoLoader.class).state()).isEqualTo(DemoLoader.State.OFF);
            assertThat(patients(app.getBean(JdbcTemplate.class))).isZero();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long patients(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from HFJ_RESOURCE where RES_TYPE = 'Patient' and RES_DELETED_AT is null", Long.class);
    }
}
