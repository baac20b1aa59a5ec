package org.recoveryoutcomes.server.aggregate;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * $aggregate against a real server, on H2 ({@link AggregateOperationTest}) and on PostgreSQL
 * ({@link AggregateOnPostgresTest}). The test data are written as score Observations through the FHIR API; expected
 * figures are computed from them by {@link ExpectedFigures}. The database is shared with other tests, so every request
 * names this class's organisations, and the scores lie in 1995–1996, where no other test writes.
 */
abstract class AggregateScenarios {

    static final String WEMWBS = "wemwbs-total";
    static final String SWEMWBS = "swemwbs-metric";
    static final String PLACES = "inclusion-places";

    /** One data set per test class (per database). */
    private static final Map<Class<?>, Dataset> DATASETS = new java.util.concurrent.ConcurrentHashMap<>();

    record Dataset(String a, String b, String c, List<ScoreData.Score> scores) {
        Set<String> all() {
            return new TreeSet<>(List.of(a, b, c));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    AggregateService service;

    @Autowired
    ScoreFactMapper mapper;

    @Autowired
    FactStore store;

    @Autowired
    IInterceptorService interceptors;

    Dataset data;

    @BeforeEach
    void writeTheDataOnce() {
        RestAssured.port = port;
        data = DATASETS.computeIfAbsent(getClass(), k -> {
            Dataset d = dataset("agg-" + UUID.randomUUID().toString().substring(0, 8), 20_260_601L);
            ScoreData.post(d.scores());
            return d;
        });
    }

    /**
     * Three organisations: a (30 people), b (20), c (4: a small organisation) and 2 people measured at a and then b;
     * WEMWBS 1–4 times each in 1995–1996; SWEMWBS (metric, decimals) and Inclusion Web places at a.
     */
    static Dataset dataset(String prefix, long seed) {
        Random r = new Random(seed);
        String a = prefix + "-a";
        String b = prefix + "-b";
        String c = prefix + "-c";
        List<ScoreData.Score> scores = new ArrayList<>();
        int person = 0;
        for (Object[] group : new Object[][]{{a, 30}, {b, 20}, {c, 4}}) {
            for (int i = 0; i < (int) group[1]; i++) {
                String patient = prefix + "-p" + person++;
                List<Instant> dates = dates(r, 1 + r.nextInt(4));
                int base = 14 + r.nextInt(57);
                for (int k = 0; k < dates.size(); k++) {
                    int v = k == 0 ? base : Math.max(14, Math.min(70, base + r.nextInt(36) - 15));
                    scores.add(new ScoreData.Score(patient, (String) group[0], WEMWBS, dates.get(k), v));
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            String patient = prefix + "-p" + person++;
            List<Instant> dates = dates(r, 3);
            scores.add(new ScoreData.Score(patient, a, WEMWBS, dates.get(0), 30 + i));
            scores.add(new ScoreData.Score(patient, a, WEMWBS, dates.get(1), 40 + i));
            scores.add(new ScoreData.Score(patient, b, WEMWBS, dates.get(2), 50 + i));
        }
        double[] metric = {7.00, 9.51, 11.25, 12.54, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43, 17.98, 18.59,
                19.25, 19.98, 20.4, 20.73, 21.54, 22.35, 23.21, 23.4, 24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00};
        for (int i = 0; i < 12; i++) {
            String patient = prefix + "-p" + person++;
            List<Instant> dates = dates(r, 2);
            double first = i < 3 ? 20.4 : metric[r.nextInt(metric.length)];
            double second = i < 3 ? 23.4 : metric[r.nextInt(metric.length)]; // 23.4 − 20.4 is 2.9999999999999982 in doubles
            scores.add(new ScoreData.Score(patient, a, SWEMWBS, dates.get(0), first));
            scores.add(new ScoreData.Score(patient, a, SWEMWBS, dates.get(1), second));
        }
        for (int i = 0; i < 10; i++) {
            String patient = prefix + "-p" + person++;
            List<Instant> dates = dates(r, 2);
            scores.add(new ScoreData.Score(patient, a, PLACES, dates.get(0), r.nextInt(10)));
            scores.add(new ScoreData.Score(patient, a, PLACES, dates.get(1), r.nextInt(20)));
        }
        return new Dataset(a, b, c, scores);
    }

    /** n different days in 1995–1996, at noon UTC, in order. */
    static List<Instant> dates(Random r, int n) {
        Set<Integer> days = new TreeSet<>();
        while (days.size() < n) {
            days.add(r.nextInt(731));
        }
        return days.stream().map(d -> LocalDate.of(1995, 1, 1).plusDays(d).atTime(12, 0).toInstant(ZoneOffset.UTC)).toList();
    }

    static String month(int index) {
        return String.format("%04d-%02d", index / 12, index % 12 + 1);
    }

    /** One request: the expected figures of every stratifier are computed from the data and compared. */
    void assertFiguresMatchTheData(String code, Integer from, Integer to, Set<String> orgs, List<String> groupBy, Double threshold) {
        MeasureReport mr = ScoreData.aggregate(s -> {
            s.queryParam("code", ScoreData.SCORE_SYSTEM + "|" + code);
            if (from != null) {
                s.queryParam("date", "ge" + month(from));
            }
            if (to != null) {
                s.queryParam("date", "lt" + month(to));
            }
            orgs.forEach(o -> s.queryParam("organization", "Organization/" + o));
            groupBy.forEach(g -> s.queryParam("group-by", g));
        });
        assertThat(mr.getStatus()).isEqualTo(MeasureReport.MeasureReportStatus.COMPLETE);
        assertThat(mr.getType()).isEqualTo(MeasureReport.MeasureReportType.SUMMARY);
        assertThat(mr.getMeasure()).isEqualTo("https://w3id.org/recovery-outcomes/fhir/Measure/recovery-outcomes");
        for (List<String> dims : AggregateService.subsets(groupBy)) {
            assertThat(ReportFigures.of(mr, code, dims))
                    .as("%s %s–%s %s stratifier %s", code, from, to, orgs, dims)
                    .isEqualTo(ExpectedFigures.of(data.scores(), code, from, to, orgs, dims, threshold));
        }
    }

    @Test
    void figures_by_organisation_and_quarter_equal_those_computed_from_the_data() {
        assertFiguresMatchTheData(WEMWBS, null, null, data.all(), List.of("organization", "quarter"), 9.0);
    }

    @Test
    void figures_of_one_organisation_by_month_equal_those_computed_from_the_data() {
        assertFiguresMatchTheData(WEMWBS, 1995 * 12 + 3, 1996 * 12 + 6, Set.of(data.a()), List.of("month"), 9.0);
    }

    @Test
    void figures_of_one_year_by_year_and_quarter_equal_those_computed_from_the_data() {
        assertFiguresMatchTheData(WEMWBS, 1996 * 12, 1997 * 12, Set.of(data.a(), data.b()), List.of("year", "quarter"), 9.0);
    }

    @Test
    void figures_of_a_period_that_cuts_quarters_equal_those_computed_from_the_data() {
        assertFiguresMatchTheData(WEMWBS, 1995 * 12 + 1, 1996 * 12 + 10, data.all(), List.of("organization", "quarter"), 9.0);
    }

    @Test
    void decimal_scores_change_reliably_by_exactly_the_threshold() {
        assertFiguresMatchTheData(SWEMWBS, null, null, Set.of(data.a()), List.of("organization"), 3.0);
        // 8 people from 20.4 to 23.4 (2.9999999999999982 in doubles) and 8 from 23.4 to 20.4
        String org = "threshold-" + UUID.randomUUID().toString().substring(0, 8);
        List<ScoreData.Score> scores = new ArrayList<>();
        for (int p = 0; p < 16; p++) {
            boolean up = p < 8;
            scores.add(new ScoreData.Score(org + "-p" + p, org, SWEMWBS, Instant.parse("1996-01-10T12:00:00Z"), up ? 20.4 : 23.4));
            scores.add(new ScoreData.Score(org + "-p" + p, org, SWEMWBS, Instant.parse("1996-05-10T12:00:00Z"), up ? 23.4 : 20.4));
        }
        ScoreData.post(scores);
        Map<String, String> f = ReportFigures.of(ScoreData.aggregate(s -> s.queryParam("code", SWEMWBS).queryParam("organization", org)),
                SWEMWBS, List.of()).get("");
        assertThat(f).containsEntry("with-change", "15").containsEntry("reliably-improved", "10")
                .containsEntry("reliably-deteriorated", "10").containsEntry("mean-change", "0.0")
                .containsEntry("percent-reliably-improved", "66.7").containsEntry("mean", "21.9");
    }

    @Test
    void reliable_change_is_not_applicable_for_a_score_without_threshold() {
        assertFiguresMatchTheData(PLACES, null, null, Set.of(data.a()), List.of(), null);
        Map<String, String> f = ReportFigures.of(ScoreData.aggregate(s -> s.queryParam("code", PLACES)
                .queryParam("organization", data.a())), PLACES, List.of()).get("");
        assertThat(f).containsEntry("reliably-improved", "not-applicable").containsEntry("reliably-deteriorated", "not-applicable")
                .containsEntry("percent-reliably-improved", "not-applicable");
        assertThat(f.get("measured")).isEqualTo("10");
    }

    @Test
    void a_small_organisation_is_masked_and_left_out_of_every_other_figure() {
        Map<String, Map<String, String>> byOrg = ReportFigures.of(ScoreData.aggregate(s -> s.queryParam("code", WEMWBS)
                .queryParam("organization", String.join(",", data.all())).queryParam("group-by", "organization")), WEMWBS,
                List.of("organization"));
        assertThat(byOrg.get("Organization/" + data.c())).isEqualTo(ExpectedFigures.masked());
        // differencing: asking with and without the small organisation gives the same figures
        MeasureReport with = ScoreData.aggregate(s -> s.queryParam("code", WEMWBS)
                .queryParam("organization", data.a(), data.b(), data.c()).queryParam("group-by", "quarter"));
        MeasureReport without = ScoreData.aggregate(s -> s.queryParam("code", WEMWBS)
                .queryParam("organization", data.a(), data.b()).queryParam("group-by", "quarter"));
        assertThat(ReportFigures.of(with, WEMWBS, List.of())).isEqualTo(ReportFigures.of(without, WEMWBS, List.of()));
        assertThat(ReportFigures.of(with, WEMWBS, List.of("quarter"))).isEqualTo(ReportFigures.of(without, WEMWBS, List.of("quarter")));
    }

    @Test
    void the_pre_aggregated_cube_and_the_facts_give_the_same_figures() {
        Random r = new Random(7);
        List<Set<String>> orgs = Arrays.asList(null, Set.of(data.a()), Set.of(data.a(), data.b()), data.all());
        List<Integer[]> periods = List.of(new Integer[]{null, null}, new Integer[]{1995 * 12, null},
                new Integer[]{1996 * 12, 1997 * 12}, new Integer[]{1995 * 12 + 3, 1996 * 12 + 6}, new Integer[]{1995 * 12 + 1, 1996 * 12 + 10},
                new Integer[]{null, 1996 * 12 + 3}, new Integer[]{1996 * 12 + 4, 1996 * 12 + 5});
        List<List<String>> groupBys = List.of(List.of(), List.of("organization"), List.of("quarter"),
                List.of("organization", "month"), List.of("organization", "year", "quarter"));
        for (int i = 0; i < 40; i++) {
            String code = List.of(WEMWBS, SWEMWBS, PLACES).get(r.nextInt(3));
            Integer[] period = periods.get(r.nextInt(periods.size()));
            AggregateRequest request = new AggregateRequest(List.of(code), period[0], period[1], orgs.get(r.nextInt(orgs.size())),
                    groupBys.get(r.nextInt(groupBys.size())));
            List<AggregateService.GroupFigures> cube = service.compute(request);
            List<AggregateService.GroupFigures> facts;
            try {
                service.useCube(false);
                facts = service.compute(request);
            } finally {
                service.useCube(true);
            }
            assertThat(describe(cube)).as(request.toString()).isEqualTo(describe(facts));
        }
    }

    /** The raw figures of every stratum, doubles to 9 decimals. */
    static List<String> describe(List<AggregateService.GroupFigures> groups) {
        List<String> out = new ArrayList<>();
        for (AggregateService.GroupFigures g : groups) {
            for (AggregateService.Stratified s : g.stratifiers()) {
                out.add(g.code() + " " + s.dimensions() + " masked " + s.maskedOrganizations());
                s.strata().forEach((stratum, h) -> {
                    Histogram.Figures f = h.figures();
                    out.add("  " + AggregateService.labels(s, stratum) + " n=" + f.people() + " c=" + f.withChange() + " mean=" + r9(f.mean())
                            + " median=" + r9(f.median()) + " sd=" + r9(f.standardDeviation()) + " change=" + r9(f.meanChange())
                            + " +" + f.improved() + " -" + f.deteriorated());
                });
            }
        }
        return out;
    }

    private static String r9(Double d) {
        return d == null ? "-" : String.format("%.9f", d);
    }

    @Test
    void a_rolled_back_transaction_bundle_leaves_no_fact() {
        String org = "rollback-" + UUID.randomUUID().toString().substring(0, 8);
        String patient = org + "-patient";
        long personKey = mapper.personKey(patient);
        AtomicInteger factsSeenInsideTheTransaction = new AtomicInteger(-1);
        Object failing = new FailSecondObservation(org, () -> factsSeenInsideTheTransaction.set(factCount(personKey)));
        interceptors.registerInterceptor(failing);
        try {
            List<Observation> two = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Observation o = ScoreData.observation(new ScoreData.Score(patient, org, WEMWBS,
                        Instant.parse("1995-06-0" + (i + 1) + "T12:00:00Z"), 40 + i));
                two.add(o);
            }
            two.get(1).addIdentifier().setSystem("urn:test").setValue("fail");
            Response r = ScoreData.postBundle(ScoreData.transaction(two));
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(412);
        } finally {
            interceptors.unregisterInterceptor(failing);
        }
        assertThat(factsSeenInsideTheTransaction.get()).as("facts written inside the transaction before it failed").isEqualTo(2);
        assertThat(factCount(personKey)).as("facts after the rollback").isZero();
        assertThat(store.jdbc().queryForObject("SELECT COUNT(*) FROM recovery_score_cube_delta WHERE organization_id = ?",
                Integer.class, org)).isZero();
        Map<String, String> f = ReportFigures.of(ScoreData.aggregate(s -> s.queryParam("code", WEMWBS).queryParam("organization", org)),
                WEMWBS, List.of()).get("");
        assertThat(f.get("measured")).isEqualTo("0");
    }

    int factCount(long personKey) {
        return store.jdbc().queryForObject("SELECT COUNT(*) FROM recovery_score_fact WHERE person_key = ?", Integer.class, personKey);
    }

    /** Fails the transaction at the pre-commit of the Observation marked "fail", after the read model's hook. */
    @Interceptor
    public static class FailSecondObservation {
        private final String org;
        private final Runnable beforeFailing;

        FailSecondObservation(String org, Runnable beforeFailing) {
            this.org = org;
            this.beforeFailing = beforeFailing;
        }

        @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = 1000)
        public void created(IBaseResource resource) {
            if (resource instanceof Observation o && o.getIdentifier().stream().anyMatch(i -> "fail".equals(i.getValue()))
                    && o.getPerformerFirstRep().getReference().endsWith(org)) {
                beforeFailing.run();
                throw new PreconditionFailedException("failing on purpose after the score facts were written");
            }
        }
    }

    @Test
    void the_cube_stays_consistent_when_one_person_is_scored_concurrently() throws Exception {
        String org = "concurrent-" + UUID.randomUUID().toString().substring(0, 8);
        List<Thread> threads = new ArrayList<>();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 6; t++) {
            int day = t + 1;
            Thread thread = new Thread(() -> {
                for (int p = 0; p < 9; p++) {
                    Observation o = ScoreData.observation(new ScoreData.Score(org + "-p" + p, org, WEMWBS,
                            Instant.parse(String.format("1995-03-%02dT12:00:00Z", day)), 30 + day * 3 + p));
                    statuses.add(RestAssured.given().contentType("application/fhir+json")
                            .body(ScoreData.FHIR.newJsonParser().encodeResourceToString(o)).post("/fhir/Observation").statusCode());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(statuses).hasSize(54).allMatch(s -> s == 201);
        AggregateRequest request = new AggregateRequest(List.of(WEMWBS), null, null, Set.of(org), List.of("organization", "month"));
        List<AggregateService.GroupFigures> cube = service.compute(request);
        try {
            service.useCube(false);
            assertThat(describe(cube)).isEqualTo(describe(service.compute(request)));
        } finally {
            service.useCube(true);
        }
        // nine people, each with six scores in March 1995: the latest is day 6, the baseline day 1
        Histogram.Figures f = cube.get(0).stratifiers().get(0).strata().values().iterator().next().figures();
        assertThat(f.people()).isEqualTo(9);
        assertThat(f.withChange()).isEqualTo(9);
        assertThat(f.meanChange()).isEqualTo(15.0);
    }

    @Test
    void changing_and_deleting_observations_changes_the_figures_in_the_same_transaction() {
        String org = "change-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            Observation o = ScoreData.observation(new ScoreData.Score(org + "-p" + p, org, WEMWBS, Instant.parse("1996-02-10T12:00:00Z"), 50));
            Response r = RestAssured.given().contentType("application/fhir+json")
                    .body(ScoreData.FHIR.newJsonParser().encodeResourceToString(o)).post("/fhir/Observation");
            assertThat(r.statusCode()).isEqualTo(201);
            ids.add(ScoreData.FHIR.newJsonParser().parseResource(Observation.class, r.asString()).getIdElement().getIdPart());
        }
        assertThat(figures(org)).containsEntry("measured", "10").containsEntry("mean", "50.0");
        // a new value
        Observation changed = read(ids.get(0));
        changed.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(60).setUnit("{score}"));
        put(changed);
        assertThat(figures(org)).containsEntry("mean", "51.0");
        // entered in error: no longer a score
        Observation wrong = read(ids.get(1));
        wrong.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
        put(wrong);
        assertThat(figures(org)).containsEntry("measured", "10").containsEntry("mean", "51.1"); // 9 people: 460 / 9
        // deleted
        assertThat(RestAssured.delete("/fhir/Observation/" + ids.get(2)).statusCode()).isEqualTo(200);
        assertThat(figures(org)).containsEntry("measured", "10").containsEntry("mean", "51.3"); // 8 people: 410 / 8
        assertThat(RestAssured.delete("/fhir/Observation/" + ids.get(3)).statusCode()).isEqualTo(200);
        assertThat(figures(org)).containsEntry("measured", "0"); // 7 people: a small organisation, left out
    }

    Map<String, String> figures(String org) {
        return ReportFigures.of(ScoreData.aggregate(s -> s.queryParam("code", WEMWBS).queryParam("organization", org)), WEMWBS,
                List.of()).get("");
    }

    static Observation read(String id) {
        return ScoreData.FHIR.newJsonParser().parseResource(Observation.class, RestAssured.get("/fhir/Observation/" + id).asString());
    }

    static void put(Observation o) {
        Response r = RestAssured.given().contentType("application/fhir+json").body(ScoreData.FHIR.newJsonParser().encodeResourceToString(o))
                .put("/fhir/Observation/" + o.getIdElement().getIdPart());
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    }

    @Test
    void rebuilding_restores_facts_lost_outside_the_api() {
        Map<String, Map<String, String>> before = ReportFigures.of(ScoreData.aggregate(s -> s.queryParam("code", WEMWBS)
                .queryParam("organization", data.a()).queryParam("group-by", "quarter")), WEMWBS, List.of("quarter"));
        store.jdbc().update("DELETE FROM recovery_score_fact WHERE organization_id = ?", data.a());
        Response r = RestAssured.given().contentType("application/fhir+json").body("{\"resourceType\":\"Parameters\"}")
                .post("/fhir/$rebuild-score-facts");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.asString()).contains("\"facts\"");
        Map<String, Map<String, String>> after = ReportFigures.of(ScoreData.aggregate(s -> s.queryParam("code", WEMWBS)
                .queryParam("organization", data.a()).queryParam("group-by", "quarter")), WEMWBS, List.of("quarter"));
        assertThat(after).isEqualTo(before);
        assertFiguresMatchTheData(WEMWBS, null, null, data.all(), List.of("organization", "quarter"), 9.0);
    }

    static Set<String> set(String... s) {
        return new LinkedHashSet<>(Arrays.asList(s));
    }

    static Set<String> copy(Set<String> s) {
        return new HashSet<>(s);
    }
}
