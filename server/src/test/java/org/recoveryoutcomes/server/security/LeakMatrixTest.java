package org.recoveryoutcomes.server.security;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every route of issue #7 §2, attacked by three tokens: patient A's (patient/*.cruds) against patient B's data,
 * organisation A's client (system/*.cruds bound to Organization A) against organisation B's people, and the regional
 * hub (system/MeasureReport.rs) against everything person-level. Every cell must be denied: 403/404, or a response
 * that neither shows nor counts anything of the victim. Each victim resource carries a marker in its identifier (and
 * the victim patient in its name) for the attacks to aim at, and a secret that no request names, so a response that
 * leaks any of it shows the secret.
 */
@ServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeakMatrixTest {

    static final String SYSTEM = "urn:test:leak";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @LocalServerPort
    int port;

    Person a;
    Person b;
    String orgA;
    String orgB;
    Map<String, Attacker> attackers;

    /** One person's data: patient, observation (with one derived from the other person's), response, goal, encounter. */
    record Person(String key, String marker, String secret, String patient, String observation, String response, String goal,
            String encounter) {
        List<String> references() {
            return List.of("Patient/" + patient, "Observation/" + observation, "QuestionnaireResponse/" + response, "Goal/" + goal,
                    "Encounter/" + encounter);
        }
    }

    /** A token, the people it must not see, and what it may count of its own. */
    record Attacker(String name, String token, List<Person> victims, Person own) {
        boolean sees(Person p) {
            return own == p;
        }
    }

    @BeforeAll
    void data() {
        String base = "http://localhost:" + port + "/fhir";
        orgA = create(base, "{\"resourceType\":\"Organization\",\"name\":\"Leak org A " + RUN + "\"}");
        orgB = create(base, "{\"resourceType\":\"Organization\",\"name\":\"Leak org B " + RUN + "\"}");
        a = person(base, "a", orgA);
        b = person(base, "b", orgB);
        // A's observation is derived from B's, B's from A's: an _include / _revinclude along derived-from reaches the other
        link(base, a.observation, b.observation, a);
        link(base, b.observation, a.observation, b);
        attackers = Map.of(
                "patient A", new Attacker("patient A",
                        TestTokens.token().clientId("leak-app").subject("patient-a-user").patient(a.patient)
                                .scope("launch/patient openid patient/*.cruds").sign(), List.of(b), a),
                "organisation A", new Attacker("organisation A",
                        TestTokens.token().clientId("leak-ehr-a").organization("Organization/" + orgA).scope("system/*.cruds").sign(),
                        List.of(b), a),
                "hub", new Attacker("hub", TestTokens.token().clientId("leak-hub").scope("system/MeasureReport.rs").sign(),
                        List.of(a, b), null));
    }

    private Person person(String base, String key, String org) {
        String marker = "leak-" + key + "-" + RUN;
        String secret = "secret-" + key + "-" + RUN;
        String patient = create(base, "{\"resourceType\":\"Patient\",\"identifier\":[" + id(marker) + "],\"name\":[{\"family\":\""
                + marker + "\"}],\"address\":[{\"text\":\"" + secret + "\"}],\"managingOrganization\":{\"reference\":\"Organization/" + org + "\"}}");
        String subject = "\"subject\":{\"reference\":\"Patient/" + patient + "\"}";
        String observation = create(base, "{\"resourceType\":\"Observation\",\"identifier\":[" + id("obs-" + marker) + "],\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"" + SYSTEM + "\",\"code\":\"obs-" + RUN + "\"}]}," + subject
                + ",\"valueInteger\":3,\"note\":[{\"text\":\"" + secret + "\"}]}");
        String response = create(base, "{\"resourceType\":\"QuestionnaireResponse\",\"identifier\":" + id("qr-" + marker)
                + ",\"status\":\"in-progress\"," + subject + ",\"item\":[{\"linkId\":\"s\",\"text\":\"" + secret + "\"}]}");
        String goal = create(base, "{\"resourceType\":\"Goal\",\"identifier\":[" + id("goal-" + marker) + "],\"lifecycleStatus\":\"active\","
                + "\"description\":{\"text\":\"" + secret + "\"}," + subject + "}");
        String encounter = create(base, "{\"resourceType\":\"Encounter\",\"identifier\":[" + id("enc-" + marker) + "],\"status\":\"finished\","
                + "\"class\":{\"code\":\"AMB\"}," + subject + ",\"reasonCode\":[{\"text\":\"" + secret + "\"}]}");
        return new Person(key, marker, secret, patient, observation, response, goal, encounter);
    }

    private void link(String base, String observation, String derivedFrom, Person owner) {
        given().baseUri(base).contentType("application/fhir+json").body("{\"resourceType\":\"Observation\",\"id\":\"" + observation
                        + "\",\"identifier\":[" + id("obs-" + owner.marker) + "],\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\""
                        + SYSTEM + "\",\"code\":\"obs-" + RUN + "\"}]},\"subject\":{\"reference\":\"Patient/" + owner.patient
                        + "\"},\"derivedFrom\":[{\"reference\":\"Observation/" + derivedFrom + "\"}],\"valueInteger\":3,"
                        + "\"note\":[{\"text\":\"" + owner.secret + "\"}]}")
                .put("/Observation/" + observation).then().statusCode(200);
    }

    private static String id(String value) {
        return "{\"system\":\"" + SYSTEM + "\",\"value\":\"" + value + "\"}";
    }

    private static String create(String base, String json) {
        Response r = given().baseUri(base).contentType("application/fhir+json").body(json).post("/" + JsonPath.from(json).getString("resourceType"));
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return r.jsonPath().getString("id");
    }

    // ------------------------------------------------------------------------------------------------------------
    // The routes. Each returns the response to the attack on one victim.

    record Route(String name, Function<Attack, Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One attack: an attacker against a victim, on this server. */
    record Attack(LeakMatrixTest test, Attacker attacker, Person victim) {
        RequestSpecification as() {
            return given().noFilters().baseUri("http://localhost:" + test.port + "/fhir")
                    .header("Authorization", "Bearer " + attacker.token()).contentType("application/fhir+json");
        }

        String patientRef() {
            return "Patient/" + victim.patient();
        }

        String ident(String prefix) {
            return SYSTEM + "|" + prefix + victim.marker();
        }
    }

    static List<Route> routes() {
        List<Route> r = new ArrayList<>();
        // reads
        r.add(new Route("read Patient", x -> x.as().get("/Patient/" + x.victim().patient())));
        r.add(new Route("read Observation", x -> x.as().get("/Observation/" + x.victim().observation())));
        r.add(new Route("read QuestionnaireResponse", x -> x.as().get("/QuestionnaireResponse/" + x.victim().response())));
        r.add(new Route("read Goal", x -> x.as().get("/Goal/" + x.victim().goal())));
        r.add(new Route("vread Observation", x -> x.as().get("/Observation/" + x.victim().observation() + "/_history/1")));
        // searches
        r.add(new Route("search Patient by _id", x -> x.as().get("/Patient?_id=" + x.victim().patient())));
        r.add(new Route("search Patient by name", x -> x.as().get("/Patient?name=" + x.victim().marker())));
        r.add(new Route("search Observation by subject", x -> x.as().get("/Observation?subject=" + x.patientRef())));
        r.add(new Route("search Observation by patient with _summary=count", x -> x.as().get("/Observation?patient=" + x.patientRef() + "&_summary=count")));
        r.add(new Route("search Observation by identifier with _total=accurate", x -> x.as().get("/Observation?identifier=" + x.ident("obs-") + "&_total=accurate")));
        r.add(new Route("search Observation by _id", x -> x.as().get("/Observation?_id=" + x.victim().observation())));
        r.add(new Route("search QuestionnaireResponse by subject", x -> x.as().get("/QuestionnaireResponse?subject=" + x.patientRef())));
        r.add(new Route("search Goal by patient", x -> x.as().get("/Goal?patient=" + x.patientRef())));
        r.add(new Route("search Encounter by patient with _summary=count", x -> x.as().get("/Encounter?patient=" + x.patientRef() + "&_summary=count")));
        r.add(new Route("search by POST _search", x -> x.as().contentType("application/x-www-form-urlencoded")
                .formParam("subject", x.patientRef()).post("/Observation/_search")));
        r.add(new Route("chained search Observation?patient.identifier", x -> x.as().get("/Observation?patient.identifier=" + x.ident(""))));
        r.add(new Route("chained search Observation?subject:Patient.name", x -> x.as().get("/Observation?subject:Patient.name=" + x.victim().marker())));
        r.add(new Route("_has search Patient?_has:Observation:subject:identifier",
                x -> x.as().get("/Patient?_has:Observation:subject:identifier=" + x.ident("obs-"))));
        r.add(new Route("_include Observation:derived-from", x -> x.as().get("/Observation?identifier=" + x.ident("obs-")
                .replace(x.victim().marker(), x.attacker().own() == null ? x.victim().marker() : x.attacker().own().marker())
                + "&_include=Observation:derived-from")));
        r.add(new Route("_revinclude Observation:derived-from", x -> x.as().get("/Observation?_id="
                + (x.attacker().own() == null ? x.victim().observation() : x.attacker().own().observation())
                + "&_revinclude=Observation:derived-from")));
        r.add(new Route("_include:iterate through own data", x -> x.as().get("/Patient?_id="
                + (x.attacker().own() == null ? x.victim().patient() : x.attacker().own().patient())
                + "&_revinclude=Observation:subject&_include:iterate=Observation:derived-from")));
        r.add(new Route("_revinclude from the victim's patient", x -> x.as().get("/Patient?_id=" + x.victim().patient()
                + "&_revinclude=Observation:subject&_revinclude=Goal:subject")));
        r.add(new Route("everything by code with _summary=count", x -> x.as().get("/Observation?code=" + SYSTEM + "|obs-" + RUN + "&_summary=count")));
        r.add(new Route("everything by code", x -> x.as().get("/Observation?code=" + SYSTEM + "|obs-" + RUN + "&_count=100")));
        r.add(new Route("system search", x -> x.as().get("?_type=Observation&patient=" + x.patientRef())));
        // history
        r.add(new Route("instance history", x -> x.as().get("/Observation/" + x.victim().observation() + "/_history")));
        r.add(new Route("type history", x -> x.as().get("/Observation/_history")));
        r.add(new Route("system history", x -> x.as().get("/_history")));
        // operations
        r.add(new Route("Patient/$everything", x -> x.as().get("/Patient/" + x.victim().patient() + "/$everything")));
        r.add(new Route("type-level Patient/$everything", x -> x.as().get("/Patient/$everything")));
        // an organisation may export its own people (BulkExportTest), never the victim
        r.add(new Route("bulk $export of the victim", x -> x.as().header("Prefer", "respond-async").header("Accept", "application/fhir+json")
                .get("/Patient/" + x.victim().patient() + "/$export")));
        r.add(new Route("Patient/$recovery-profile", x -> operation(x, "/Patient/" + x.victim().patient() + "/$recovery-profile")));
        r.add(new Route("Patient/$goal-attainment", x -> operation(x, "/Patient/" + x.victim().patient() + "/$goal-attainment")));
        r.add(new Route("QuestionnaireResponse/$score", x -> operation(x, "/QuestionnaireResponse/" + x.victim().response() + "/$score")));
        r.add(new Route("QuestionnaireResponse/$extract", x -> operation(x, "/QuestionnaireResponse/" + x.victim().response() + "/$extract")));
        r.add(new Route("AuditEvent about the victim", x -> x.as().get("/AuditEvent?patient=" + x.patientRef())));
        // batch and transaction
        r.add(new Route("batch of reads and searches", x -> x.as().body(bundle("batch",
                get("Patient/" + x.victim().patient()), get("Observation?subject=" + x.patientRef()),
                get("Observation?identifier=" + x.ident("obs-") + "&_summary=count"), get("Observation/" + x.victim().observation() + "/_history"),
                get("Patient/" + x.victim().patient() + "/$everything"))).post("")));
        r.add(new Route("transaction update of the victim's observation", x -> x.as().body(bundle("transaction",
                "{\"request\":{\"method\":\"PUT\",\"url\":\"Observation/" + x.victim().observation() + "\"},\"resource\":"
                        + observation(x.victim().observation(), x.patientRef(), "rewritten") + "}")).post("")));
        r.add(new Route("transaction conditional update matching the victim's observation", x -> x.as().body(bundle("transaction",
                "{\"request\":{\"method\":\"PUT\",\"url\":\"Observation?identifier=" + x.ident("obs-") + "\"},\"resource\":"
                        + observation(null, ownOrVictim(x), "cond-" + x.attacker().name().replace(' ', '-')) + "}")).post("")));
        r.add(new Route("transaction conditional delete of the victim's observation", x -> x.as().body(bundle("transaction",
                "{\"request\":{\"method\":\"DELETE\",\"url\":\"Observation?identifier=" + x.ident("obs-") + "\"}}")).post("")));
        r.add(new Route("transaction create for the victim", x -> x.as().body(bundle("transaction",
                "{\"request\":{\"method\":\"POST\",\"url\":\"Observation\"},\"resource\":" + observation(null, x.patientRef(), "planted") + "}")).post("")));
        // writes
        r.add(new Route("update the victim's observation", x -> x.as().body(observation(x.victim().observation(), x.patientRef(), "rewritten"))
                .put("/Observation/" + x.victim().observation())));
        r.add(new Route("move the victim's observation to oneself", x -> x.as().body(observation(x.victim().observation(), ownOrVictim(x), "moved"))
                .put("/Observation/" + x.victim().observation())));
        r.add(new Route("patch the victim's observation", x -> x.as().contentType("application/json-patch+json")
                .body("[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"cancelled\"}]").patch("/Observation/" + x.victim().observation())));
        r.add(new Route("delete the victim's observation", x -> x.as().delete("/Observation/" + x.victim().observation())));
        r.add(new Route("conditional delete of the victim's observation", x -> x.as().delete("/Observation?identifier=" + x.ident("obs-"))));
        r.add(new Route("conditional update matching the victim's observation", x -> x.as()
                .body(observation(null, ownOrVictim(x), "cond2-" + x.attacker().name().replace(' ', '-'))).put("/Observation?identifier=" + x.ident("obs-"))));
        r.add(new Route("create with If-None-Exist matching the victim's observation", x -> x.as().header("If-None-Exist", "identifier=" + x.ident("obs-"))
                .header("Prefer", "return=representation").body(observation(null, ownOrVictim(x), "ine-" + x.attacker().name().replace(' ', '-')))
                .post("/Observation")));
        r.add(new Route("create an observation about the victim", x -> x.as().body(observation(null, x.patientRef(), "planted")).post("/Observation")));
        r.add(new Route("create a patient in the victim's organisation", x -> x.as().body("{\"resourceType\":\"Patient\",\"managingOrganization\":"
                + "{\"reference\":\"Organization/" + x.test().orgB + "\"}}").post("/Patient")));
        // paging
        r.add(new Route("replay of another client's paging link", x -> x.as().get(x.test().pagingLinkOfAnotherClient())));
        r.add(new Route("forged paging link", x -> x.as().get("?_getpages=" + UUID.randomUUID() + "&_getpagesoffset=0&_count=10")));
        return r;
    }

    static Stream<Arguments> cells() {
        return Stream.of("patient A", "organisation A", "hub").flatMap(attacker -> routes().stream().map(route -> Arguments.of(attacker, route)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cells")
    void everyCellIsDenied(String attackerName, Route route) {
        Attacker attacker = attackers.get(attackerName);
        for (Person victim : attacker.victims()) {
            Response r = route.call().apply(new Attack(this, attacker, victim));
            String body = r.asString();
            assertThat(r.statusCode()).as("%s: %s", route, body).isLessThan(500);
            for (Person v : attacker.victims()) {
                assertThat(body).as("%s leaks %s: %s", route, v.secret(), body).doesNotContain(v.secret());
                String location = r.header("Location") == null ? "" : r.header("Location");
                for (String ref : v.references()) {
                    assertThat(location).as("%s points at the victim", route).doesNotContain(ref + "/");
                }
            }
            if (r.statusCode() == 200 && body.contains("\"Bundle\"")) {
                assertTotalsCountNothingOfTheVictim(route, attacker, r.jsonPath());
            } else if (r.statusCode() < 400) {
                // a write that went to the attacker's own new resource, or a conditional delete that matched nothing
                assertThat(r.statusCode() == 201 || body.contains("SUCCESSFUL_DELETE_NOT_FOUND"))
                        .as("only the attacker's own new resource may be created: %s %s", route, body).isTrue();
            }
            assertVictimUnchanged(victim);
        }
    }

    /** Totals of the response (and of the searches inside a batch) count only what the attacker may see. */
    private void assertTotalsCountNothingOfTheVictim(Route route, Attacker attacker, JsonPath json) {
        List<Integer> totals = new ArrayList<>();
        Object top = json.get("total");
        if (top != null) {
            totals.add((Integer) top);
        }
        List<Object> nested = json.getList("entry.resource.total");
        if (nested != null) {
            nested.stream().filter(t -> t != null).forEach(t -> totals.add((Integer) t));
        }
        // an attacker has one match of its own in any of these searches: its patient or its observation
        int allowed = attacker.own() == null ? 0 : 1;
        for (int total : totals) {
            assertThat(total).as("%s total", route).isLessThanOrEqualTo(allowed);
        }
    }

    private void assertVictimUnchanged(Person victim) {
        Response r = given().baseUri("http://localhost:" + port + "/fhir").get("/Observation/" + victim.observation());
        assertThat(r.statusCode()).as("the victim's observation still exists").isEqualTo(200);
        assertThat(r.jsonPath().getString("meta.versionId")).as("the victim's observation is unchanged").isEqualTo("2");
        assertThat(r.jsonPath().getString("status")).isEqualTo("final");
    }

    private String pagingLinkOfAnotherClient() {
        Response r = given().baseUri("http://localhost:" + port + "/fhir").get("/Observation?code=" + SYSTEM + "|obs-" + RUN + "&_count=1");
        String next = r.jsonPath().getString("link.find { it.relation == 'next' }.url");
        assertThat(next).as("the other client's search has a second page").contains("_getpages=");
        return next.substring(next.indexOf('?'));
    }

    private static Response operation(Attack x, String path) {
        assumeTrue(x.test().offers(path.substring(path.lastIndexOf('$'))), "operation not offered by this build");
        return x.as().get(path);
    }

    boolean offers(String operation) {
        String metadata = given().baseUri("http://localhost:" + port + "/fhir").get("/metadata").asString();
        return metadata.contains("\"name\": \"" + operation.substring(1) + "\"");
    }

    private static String ownOrVictim(Attack x) {
        return x.attacker().own() == null ? x.patientRef() : "Patient/" + x.attacker().own().patient();
    }

    private static String observation(String id, String subject, String identifier) {
        return "{\"resourceType\":\"Observation\"," + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"identifier\":[" + id(identifier + "-" + RUN)
                + "],\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"" + SYSTEM + "\",\"code\":\"attack\"}]},\"subject\":{\"reference\":\""
                + subject + "\"},\"valueInteger\":9}";
    }

    private static String get(String url) {
        return "{\"request\":{\"method\":\"GET\",\"url\":\"" + url + "\"}}";
    }

    private static String bundle(String type, String... entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    // ------------------------------------------------------------------------------------------------------------
    // Controls: the attackers do see their own data, so the denials above are not a server that denies everything.

    @Test
    void patientASeesItsOwnDataAndCountsOnlyIt() {
        Attacker p = attackers.get("patient A");
        Attack own = new Attack(this, p, a);
        own.as().get("/Patient/" + a.patient()).then().statusCode(200);
        own.as().get("/Observation/" + a.observation()).then().statusCode(200);
        Response everything = own.as().get("/Patient/" + a.patient() + "/$everything");
        everything.then().statusCode(200);
        assertThat(everything.asString()).contains(a.secret()).doesNotContain(b.secret());
        Integer total = everything.jsonPath().get("total");
        if (total != null) {
            assertThat(total).as("$everything counts only what it shows").isEqualTo(everything.jsonPath().getList("entry").size());
        }
        assertThat(own.as().get("/Observation?code=" + SYSTEM + "|obs-" + RUN + "&_summary=count").jsonPath().getInt("total")).isEqualTo(1);
        assertThat(own.as().get("/Patient").jsonPath().getInt("total")).isEqualTo(1);
        own.as().body(observation(null, "Patient/" + a.patient(), "own-write")).post("/Observation").then().statusCode(201);
        own.as().get("/Questionnaire?_count=1").then().statusCode(200);
    }

    @Test
    void organisationASeesItsPeopleAndTheirData() {
        Attack own = new Attack(this, attackers.get("organisation A"), a);
        own.as().get("/Patient/" + a.patient()).then().statusCode(200);
        own.as().get("/Goal/" + a.goal()).then().statusCode(200);
        assertThat(own.as().get("/Patient?organization=Organization/" + orgA).jsonPath().getInt("total")).isEqualTo(1);
        assertThat(own.as().get("/Observation?code=" + SYSTEM + "|obs-" + RUN + "&_summary=count").jsonPath().getInt("total")).isEqualTo(1);
        own.as().body("{\"resourceType\":\"Patient\",\"managingOrganization\":{\"reference\":\"Organization/" + orgA + "\"}}")
                .post("/Patient").then().statusCode(201);
    }

    @Test
    void organisationARecordsANewPersonAndTheirDataInOneTransaction() {
        Attack own = new Attack(this, attackers.get("organisation A"), a);
        Response r = own.as().body(bundle("transaction",
                "{\"fullUrl\":\"urn:uuid:6a7e1b52-0c5e-4f3a-9d6b-1f2e3d4c5b6a\",\"resource\":{\"resourceType\":\"Patient\","
                        + "\"managingOrganization\":{\"reference\":\"Organization/" + orgA + "\"}},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}",
                "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"new\"},"
                        + "\"subject\":{\"reference\":\"urn:uuid:6a7e1b52-0c5e-4f3a-9d6b-1f2e3d4c5b6a\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}"))
                .post("");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("entry.response.status", String.class)).allMatch(st -> st.startsWith("201"));
    }

    @Test
    void organisationACannotReachOrganisationBsPersonThroughATransactionPlaceholder() {
        Attack own = new Attack(this, attackers.get("organisation A"), a);
        Response r = own.as().body(bundle("transaction",
                "{\"fullUrl\":\"urn:uuid:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\",\"resource\":{\"resourceType\":\"Patient\"},"
                        + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\",\"ifNoneExist\":\"_id=" + b.patient() + "\"}}",
                "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"placeholder-" + RUN + "\"},"
                        + "\"subject\":{\"reference\":\"urn:uuid:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}"))
                .post("");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(403);
        assertThat(given().baseUri("http://localhost:" + port + "/fhir").get("/Observation?code:text=placeholder-" + RUN).jsonPath().getInt("total")).isZero();
    }

    @Test
    void aClientPagesThroughItsOwnSearch() {
        Attack own = new Attack(this, attackers.get("organisation A"), a);
        own.as().body(observation(null, "Patient/" + a.patient(), "page-1")).post("/Observation").then().statusCode(201);
        own.as().body(observation(null, "Patient/" + a.patient(), "page-2")).post("/Observation").then().statusCode(201);
        Response first = own.as().get("/Observation?patient=Patient/" + a.patient() + "&_count=1");
        String next = first.jsonPath().getString("link.find { it.relation == 'next' }.url");
        assertThat(next).contains("_getpages=");
        own.as().get(next.substring(next.indexOf('?'))).then().statusCode(200);
    }

    @Test
    void theHubMayCallTheAggregateOperations() {
        Attack hub = new Attack(this, attackers.get("hub"), a);
        assumeTrue(offers("$aggregate"), "$aggregate not offered by this build");
        assertThat(hub.as().get("/Observation/$aggregate?code=" + SYSTEM + "|obs-" + RUN).statusCode()).isNotIn(401, 403);
    }
}
