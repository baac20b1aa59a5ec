package org.recoveryoutcomes.server.content;

import io.restassured.RestAssured;
import org.hl7.fhir.r4.model.MetadataResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@PostgresServerTest
class PostgresContentInstallationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ContentInstaller installer;

    @BeforeEach
    void base() {
        RestAssured.baseURI = "http://localhost:" + port + "/fhir";
    }

    @Test
    void theServerRunsOnARealPostgresqlDatabase() {
        String product = jdbc.queryForObject("select version()", String.class);
        assertThat(product).startsWith("PostgreSQL");
        given().get("/metadata").then().statusCode(200).body("fhirVersion", equalTo("4.0.1"));
    }

    @Test
    void everyCanonicalUrlExistsOnceAfterInstallingAgain() {
        installer.run(null);
        ContentFiles.all().forEach(f -> {
            MetadataResource r = (MetadataResource) f.resource();
            given().queryParam("url", r.getUrl()).get("/" + r.fhirType())
                    .then().statusCode(200).body("total", equalTo(1)).body("entry[0].resource.meta.versionId", equalTo("1"));
        });
    }

    @Test
    void aResourceWrittenIsReadBackAndFound() {
        String id = given().contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:test\",\"value\":\"pg-1\"}]}")
                .post("/Patient").then().statusCode(201).extract().path("id");
        given().get("/Patient/" + id).then().statusCode(200).body("identifier[0].value", equalTo("pg-1"));
        given().queryParam("identifier", "urn:test|pg-1").get("/Patient").then().statusCode(200).body("total", equalTo(1));
    }
}
