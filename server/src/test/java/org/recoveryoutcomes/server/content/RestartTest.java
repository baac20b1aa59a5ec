package org.recoveryoutcomes.server.content;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recoveryoutcomes.server.RecoveryOutcomesServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Stops and starts the server on one H2 file database, as an operator would. */
class RestartTest {

    @TempDir
    Path dataDir;

    @Test
    void restartingTheServerLeavesOneResourceVersionPerCanonicalUrl() {
        long expected = ContentFiles.all().count();
        for (int start = 1; start <= 2; start++) {
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RecoveryOutcomesServer.class)
                    .run("--server.port=0", "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("recovery"),
                            "--recovery.demo.enabled=false")) {
                JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
                Long resources = jdbc.queryForObject(
                        "select count(*) from HFJ_RESOURCE where RES_TYPE in ('CodeSystem','ValueSet','ConceptMap','StructureDefinition',"
                                + "'SearchParameter','OperationDefinition','Questionnaire','Measure')", Long.class);
                Long versions = jdbc.queryForObject(
                        "select count(*) from HFJ_RES_VER where RES_TYPE in ('CodeSystem','ValueSet','ConceptMap','StructureDefinition',"
                                + "'SearchParameter','OperationDefinition','Questionnaire','Measure')", Long.class);
                assertThat(resources).as("resources after start " + start).isEqualTo(expected);
                assertThat(versions).as("versions after start " + start).isEqualTo(expected);
            }
        }
    }
}
