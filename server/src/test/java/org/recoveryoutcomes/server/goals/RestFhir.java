package org.recoveryoutcomes.server.goals;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The FHIR endpoint of the test server, over HTTP (REST Assured), with HAPI's parser for bodies. */
public final class RestFhir {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String JSON = "application/fhir+json";

    private final int port;

    public RestFhir(int port) {
        this.port = port;
    }

    public RequestSpecification request() {
        return RestAssured.given().baseUri("http://localhost:" + port + "/fhir").accept(JSON).contentType(JSON);
    }

    /** A new Patient, so that tests sharing the database never see each other's data. */
    public String newPatient() {
        Patient p = new Patient();
        p.addIdentifier().setSystem("urn:test:patient").setValue(UUID.randomUUID().toString());
        return create(p).getIdPart();
    }

    public Response post(IBaseResource resource) {
        return request().body(encode(resource)).post("/" + resource.fhirType());
    }

    /** Creates the resource (201 expected) and returns its id. */
    public IdType create(IBaseResource resource) {
        Response r = post(resource);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return new IdType(parse(r).getIdElement().getValue()).toUnqualifiedVersionless();
    }

    public Response put(IBaseResource resource) {
        return request().body(encode(resource)).put("/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart());
    }

    public Response transaction(Bundle bundle) {
        return request().body(encode(bundle)).post("");
    }

    public Response get(String path) {
        return request().get(path);
    }

    public <T extends IBaseResource> T read(Class<T> type, String path) {
        Response r = get(path);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return type.cast(parse(r));
    }

    public Parameters operation(String path) {
        return read(Parameters.class, path);
    }

    public <T extends IBaseResource> List<T> search(Class<T> type, String query) {
        Bundle b = read(Bundle.class, "/" + FHIR.getResourceType(type) + "?" + query + "&_count=1000");
        return b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).map(type::cast).toList();
    }

    public static IBaseResource parse(Response r) {
        return FHIR.newJsonParser().parseResource(r.asString());
    }

    public static OperationOutcome outcome(Response r) {
        return (OperationOutcome) parse(r);
    }

    public static String encode(IBaseResource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    /** The expressions of an OperationOutcome's issues, one per issue (first expression of each). */
    public static List<String> expressions(OperationOutcome oo) {
        return oo.getIssue().stream().map(i -> i.getExpression().isEmpty() ? "" : i.getExpression().get(0).getValue()).toList();
    }
}
