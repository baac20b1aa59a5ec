package org.recoveryoutcomes.server.demo;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.recoveryoutcomes.testdata.region.RegionBundle;
import org.recoveryoutcomes.testdata.region.RegionGenerator;
import org.recoveryoutcomes.testdata.region.RegionSettings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The demo loader and the generated data against the shared server. Each test uses a region of its own seed, so its
 * organisations and people are new to the database and other tests' data is untouched.
 */
@ServerTest
class DemoRegionTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    int port;

    @Autowired
    DemoLoader loader;

    @Autowired
    FhirContext fhirContext;

    /** Every request names its own base: other test classes in this context set RestAssured's static defaults. */
    private RequestSpecification fhir() {
        return given().baseUri("http://localhost").port(port).basePath("/fhir");
    }

    @Test
    void theDemoRegionIsNotLoadedInTests() {
        fhir().queryParam("identifier", "urn:recovery-outcomes:synthetic-patient|r42-p1").get("/Patient")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aDatabaseThatHasPatientsIsLeftAlone() {
        fhir().contentType("application/fhir+json").body("{\"resourceType\":\"Patient\",\"id\":\"demo-test-existing\",\"active\":true}")
                .put("/Patient/demo-test-existing").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));

        DemoLoader.Outcome outcome = loader.loadIfEmpty(RegionSettings.of(3, 1, 9001));

        assertThat(outcome.loaded()).isFalse();
        fhir().get("/Organization/r9001-t1").then().statusCode(404);
        fhir().queryParam("identifier", "urn:recovery-outcomes:synthetic-patient|r9001-p1").get("/Patient")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void theLoaderWritesAWholeRegionThroughTheSystemDao() {
        DemoLoader.Outcome outcome = loader.load(new RegionSettings(3, 1, 2, 9003, LocalDate.now(), 2));

        assertThat(outcome.loaded()).isTrue();
        assertThat(outcome.people()).isEqualTo(3);
        fhir().queryParam("identifier", "urn:recovery-outcomes:synthetic-patient|r9003-p3").get("/Patient")
                .then().statusCode(200).body("total", equalTo(1));
        fhir().queryParam("partof", "Organization/r9003-t1").get("/Organization").then().statusCode(200).body("total", equalTo(4));
        fhir().queryParam("subject", "Organization/r9003-t1").get("/QuestionnaireResponse").then().statusCode(200).body("total", equalTo(4));
        Response goals = fhir().queryParam("subject", "Patient/r9003-p1").get("/Goal");
        assertThat(goals.jsonPath().getInt("total")).isPositive();
    }

    @Test
    void everyEntryOfAGeneratedRegionIsAcceptedOverTheFhirApi() {
        RegionGenerator generator = new RegionGenerator(fhirContext, new RegionSettings(4, 1, 2, 9002, LocalDate.now(), 2));
        List<String> failures = new ArrayList<>();
        int entries = 0;
        for (int n = 0; n < generator.bundleCount(); n++) {
            RegionBundle bundle = generator.bundle(n);
            Response r = fhir().contentType("application/fhir+json").body(FHIR.newJsonParser().encodeResourceToString(bundle.bundle()))
                    .post("/");
            assertThat(r.statusCode()).as("bundle " + n + ": " + r.asString()).isEqualTo(200);
            Bundle answer = FHIR.newJsonParser().parseResource(Bundle.class, r.asString());
            assertThat(answer.getEntry()).hasSize(bundle.resources());
            for (int i = 0; i < answer.getEntry().size(); i++) {
                String status = answer.getEntry().get(i).getResponse().getStatus();
                entries++;
                if (!status.startsWith("2")) {
                    failures.add(bundle.bundle().getEntry().get(i).getRequest().getUrl() + " → " + status);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(entries).isGreaterThan(100);
        fhir().queryParam("identifier", "urn:recovery-outcomes:synthetic-response|r9002-p1-mansa-1").get("/QuestionnaireResponse")
                .then().statusCode(200).body("total", equalTo(1));
    }
}
