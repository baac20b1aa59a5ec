package org.recoveryoutcomes.server.content;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@ServerTest
class ContentInstallationTest {

    private static final FhirContext FHIR = ContentFiles.FHIR;

    @LocalServerPort
    int port;

    @Autowired
    ContentInstaller installer;

    @BeforeEach
    void base() {
        RestAssured.baseURI = "http://localhost:" + port + "/fhir";
    }

    static Stream<ContentFiles.ContentFile> contentFiles() {
        return ContentFiles.all();
    }

    static Stream<CodeSystem> codeSystems() {
        return ContentFiles.all().map(ContentFiles.ContentFile::resource).filter(CodeSystem.class::isInstance).map(CodeSystem.class::cast);
    }

    static Stream<ValueSet> valueSets() {
        return ContentFiles.all().map(ContentFiles.ContentFile::resource).filter(ValueSet.class::isInstance).map(ValueSet.class::cast);
    }

    @Test
    void metadataAnswersFhirR4() {
        given().get("/metadata").then().statusCode(200).body("fhirVersion", equalTo("4.0.1"));
    }

    @Test
    void healthIsUp() {
        given().baseUri("http://localhost:" + port).get("/actuator/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theDomainCodeSystemShowsTheSixDomainsInContractOrder() {
        CodeSystem cs = read("CodeSystem", "recovery-outcome-domain", CodeSystem.class);
        assertThat(cs.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode).containsExactly(
                "recovery-supporting-care", "individual-recovery-goals", "personal-recovery", "socially-valued-goals",
                "quality-of-life", "service-use");
    }

    @ParameterizedTest(name = "{0} is served as it is in the repository")
    @MethodSource("contentFiles")
    void everyContentFileIsServedUnchanged(ContentFiles.ContentFile f) {
        MetadataResource file = (MetadataResource) f.resource();
        MetadataResource served = read(file.fhirType(), file.getIdElement().getIdPart(), file.getClass());
        served.setMeta(null);
        served.setId(served.getIdElement().getIdPart());
        file.setMeta(null);
        if (served instanceof StructureDefinition sd) {
            assertThat(sd.getSnapshot().getElement()).as("snapshot generated at start-up").isNotEmpty();
            sd.setSnapshot(null);
        }
        assertThat(FHIR.newJsonParser().encodeResourceToString(served)).isEqualTo(FHIR.newJsonParser().encodeResourceToString(file));
    }

    @ParameterizedTest(name = "every code of {0} can be looked up")
    @MethodSource("codeSystems")
    void everyCodeCanBeLookedUp(CodeSystem cs) {
        for (String code : codes(cs.getConcept())) {
            given().queryParam("system", cs.getUrl()).queryParam("code", code).get("/CodeSystem/$lookup")
                    .then().statusCode(200).body("parameter.find { it.name == 'display' }.valueString",
                            equalTo(ContentFilesTest.find(cs.getConcept(), code).getDisplay()));
        }
    }

    @Test
    void lookupReturnsTheItemWeightAsADecimal() {
        given().queryParam("system", ContentFiles.CANON + "/CodeSystem/wemwbs-response").queryParam("code", "often")
                .get("/CodeSystem/$lookup").then().statusCode(200)
                .body("parameter.find { it.name == 'property' }.part.find { it.name == 'value' }.valueDecimal", equalTo(4));
    }

    @ParameterizedTest(name = "{0} expands, and its codes validate")
    @MethodSource("valueSets")
    void everyValueSetExpandsAndValidatesItsCodes(ValueSet vs) {
        Response r = given().queryParam("url", vs.getUrl()).get("/ValueSet/$expand");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        ValueSet expansion = FHIR.newJsonParser().parseResource(ValueSet.class, r.asString());
        assertThat(expansion.getExpansion().getContains()).isNotEmpty();
        ValueSet.ValueSetExpansionContainsComponent first = expansion.getExpansion().getContains().get(0);
        given().queryParam("url", vs.getUrl()).queryParam("system", first.getSystem()).queryParam("code", first.getCode())
                .get("/ValueSet/$validate-code").then().statusCode(200)
                .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(true));
        given().queryParam("url", vs.getUrl()).queryParam("system", first.getSystem()).queryParam("code", "no-such-code")
                .get("/ValueSet/$validate-code").then().statusCode(200)
                .body("parameter.find { it.name == 'result' }.valueBoolean", equalTo(false));
    }

    @Test
    void installingAgainCreatesNoNewVersionsAndNoDuplicateCanonicals() {
        installer.run(null);
        installer.run(null);
        ContentFiles.all().forEach(f -> {
            MetadataResource r = (MetadataResource) f.resource();
            Bundle byUrl = FHIR.newJsonParser().parseResource(Bundle.class,
                    given().queryParam("url", r.getUrl()).get("/" + r.fhirType()).asString());
            assertThat(byUrl.getEntry()).as(r.getUrl()).hasSize(1);
            assertThat(byUrl.getEntry().get(0).getResource().getMeta().getVersionId()).as(r.getUrl() + " version").isEqualTo("1");
        });
    }

    @Test
    void everyOperationTheProjectDefinesIsLinkedFromTheCapabilityStatement() {
        String metadata = given().get("/metadata").asString();
        List<OperationDefinition> ours = ContentFiles.all().map(ContentFiles.ContentFile::resource)
                .filter(OperationDefinition.class::isInstance).map(OperationDefinition.class::cast).toList();
        for (OperationDefinition od : ours) {
            assertThat(metadata).as(od.getUrl()).contains("\"definition\": \"" + od.getUrl() + "\"");
            given().queryParam("url", od.getUrl()).get("/OperationDefinition").then().statusCode(200).body("total", equalTo(1));
        }
    }

    private static <T extends IBaseResource> T read(String type, String id, Class<T> cls) {
        Response r = given().get("/" + type + "/" + id);
        assertThat(r.statusCode()).as(type + "/" + id).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(cls, r.asString());
    }

    private static List<String> codes(List<CodeSystem.ConceptDefinitionComponent> concepts) {
        return concepts.stream().flatMap(c -> Stream.concat(Stream.of(c.getCode()), codes(c.getConcept()).stream())).toList();
    }
}
