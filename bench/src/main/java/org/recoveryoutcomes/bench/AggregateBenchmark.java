package org.recoveryoutcomes.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code Observation/$aggregate} grouped by organisation and quarter at a million score facts, on H2 and PostgreSQL,
 * against a client that computes the same means by paging Observation search.
 * <ol>
 * <li>H2 (the database of the ingest/profile server): score Observations for the first people of the population are
 *     written through the FHIR API; the paging client pages them and its means are checked against $aggregate's;</li>
 * <li>the server is stopped, {@link FactLoader} tops the facts up to the target with JDBC, the server starts again and
 *     rebuilds its cube from the facts; then $aggregate is timed with the regional hub's token;</li>
 * <li>PostgreSQL: a fresh cluster, the server started once to create its schema, facts loaded, ANALYZE, started again,
 *     timed the same way.</li>
 * </ol>
 */
final class AggregateBenchmark {

    static final String QUERY = "Observation/$aggregate?code=" + ScoreGenerator.CODE + "&group-by=organization&group-by=quarter";
    static final String UNALIGNED = QUERY + "&date=ge2021-02&date=lt2023-11";
    private static final int PER_BUNDLE = 500;

    /** Starts the server on a given database; the label names its log. */
    interface Starter extends Function<String, ServerProcess> {
    }

    private AggregateBenchmark() {
    }

    /**
     * @param server the running server on the H2 database {@code jdbcUrl}; stopped here
     * @return the paging rate (resources/s) measured on it
     */
    static double onH2(ServerProcess server, String jdbcUrl, Starter restart, Plan plan, Results results) {
        ScoreGenerator generator = new ScoreGenerator(42, plan.scoresEach(), plan.organisations());
        FhirClient ehr = new FhirClient(server.base, "demo-ehr", "demo-ehr-secret");
        FhirClient hub = new FhirClient(server.base, "demo-hub", "demo-hub-secret");
        long t0 = System.nanoTime();
        int observations = writeObservations(ehr, generator, plan);
        results.note("aggregate", "H2: %,d score Observations of %,d people written through the API (transaction Bundles of %d) in %.1f s",
                observations, plan.pagingPeople(), PER_BUNDLE, (System.nanoTime() - t0) / 1e9);

        List<PagingClient.Paged> runs = new ArrayList<>();
        for (int i = 0; i < plan.pagingRuns(); i++) {
            runs.add(PagingClient.page(ehr));
        }
        runs.sort((a, b) -> Double.compare(a.perSecond(), b.perSecond()));
        PagingClient.Paged paged = runs.get(runs.size() / 2);
        results.note("aggregate", "H2: paging Observation?code=%s&_count=1000 through %,d resources took %.2f s (median of %d runs):"
                        + " %,.0f resources/s", ScoreGenerator.CODE, paged.resources(), paged.nanos() / 1e9, runs.size(), paged.perSecond());
        compare(hub, paged, results);
        server.close();

        FactLoader.Loaded loaded = FactLoader.topUp(h2(jdbcUrl), "sa", "", generator, plan.facts());
        int total = FactLoader.count(h2(jdbcUrl), "sa", "");
        results.note("aggregate", "H2: %,d facts already there (the API's), %,d loaded with JDBC for %,d more people in %.1f s: %,d facts",
                loaded.existing(), loaded.inserted(), loaded.people(), loaded.millis() / 1000.0, total);
        measure(restart.apply("aggregate-h2"), plan, results, "H2", "aggregate_1m_p50_ms_h2");
        return paged.perSecond();
    }

    /** @param start starts the server on {@code url}, the cluster's database "recovery" (created by the caller) */
    static void onPostgres(PostgresCluster pg, String url, Starter start, Plan plan, Results results) {
        try (ServerProcess schema = start.apply("aggregate-pg-schema")) {
            results.note("aggregate", "PostgreSQL %s: the server created its schema (first start %.1f s)", pg.version(), schema.startupSeconds);
        }
        FactLoader.Loaded loaded = FactLoader.topUp(url + "?reWriteBatchedInserts=true", "postgres", "",
                new ScoreGenerator(42, plan.scoresEach(), plan.organisations()), plan.facts());
        FactLoader.analyze(url, "postgres", "");
        results.note("aggregate", "PostgreSQL: %,d facts loaded with JDBC for %,d people in %.1f s, then ANALYZE", loaded.inserted(),
                loaded.people(), loaded.millis() / 1000.0);
        measure(start.apply("aggregate-pg"), plan, results, "PostgreSQL", "aggregate_1m_p50_ms_pg");
    }

    private static void measure(ServerProcess server, Plan plan, Results results, String db, String key) {
        try (server) {
            if (server.logged("rebuilding them from the Observations")) {
                throw new IllegalStateException(db + ": the server rebuilt the facts from the Observations, dropping the loaded ones");
            }
            if (!server.logged("rebuilding the score cube")) {
                throw new IllegalStateException(db + ": the server did not rebuild its cube from the loaded facts");
            }
            results.note("aggregate", "%s: server restarted in %.1f s, rebuilding the cube from the facts on the way", db, server.startupSeconds);
            FhirClient hub = new FhirClient(server.base, "demo-hub", "demo-hub-secret");
            long[] nanos = new long[plan.aggregateRuns()];
            int strata = 0;
            int measured = 0;
            for (int i = -plan.aggregateWarmUps(); i < nanos.length; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = hub.get(QUERY);
                long elapsed = System.nanoTime() - t;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(db + " $aggregate: HTTP " + r.statusCode() + " " + FhirClient.abbreviate(r.body()));
                }
                if (i >= 0) {
                    nanos[i] = elapsed;
                } else {
                    JsonNode report = FhirClient.json(r);
                    strata = stratifier(report).path("stratum").size();
                    measured = 0;
                    for (JsonNode p : report.path("group").path(0).path("population")) {
                        if ("measured".equals(p.path("code").path("coding").path(0).path("code").asText())) {
                            measured = p.path("count").asInt();
                        }
                    }
                }
            }
            double p50 = Results.percentileMs(nanos, 50);
            results.put(key, p50);
            results.note("aggregate", "%s: GET %s (hub token): %d strata, %,d people measured; p50 %.1f ms, p90 %.1f ms over %d calls"
                    + " after %d warm-up calls", db, QUERY, strata, measured, p50, Results.percentileMs(nanos, 90), nanos.length,
                    plan.aggregateWarmUps());
            // a period that cuts quarters: not whole cube cells, so computed from the facts in the period
            long[] unaligned = new long[3];
            for (int i = 0; i < unaligned.length; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = hub.get(UNALIGNED);
                unaligned[i] = System.nanoTime() - t;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(db + " $aggregate: HTTP " + r.statusCode() + " " + FhirClient.abbreviate(r.body()));
                }
            }
            results.note("aggregate", "%s: GET %s (a period that cuts quarters: computed from the facts, not the cube): p50 %.0f ms"
                    + " over %d calls", db, UNALIGNED, Results.percentileMs(unaligned, 50), unaligned.length);
        }
    }

    /** Organisations, then people, then their scores as Observations, in transaction Bundles. */
    private static int writeObservations(FhirClient fhir, ScoreGenerator generator, Plan plan) {
        StringBuilder orgs = bundle();
        for (int o = 0; o < plan.organisations(); o++) {
            entry(orgs, "PUT", "Organization/" + ScoreGenerator.ORG + o, "{\"resourceType\":\"Organization\",\"id\":\"" + ScoreGenerator.ORG + o
                    + "\",\"name\":\"Bench organisation " + o + "\"}");
        }
        fhir.transaction(end(orgs));
        List<List<ScoreGenerator.Score>> people = new ArrayList<>();
        for (int p = 0; p < plan.pagingPeople(); p++) {
            people.add(generator.next());
        }
        for (int first = 0; first < people.size(); first += PER_BUNDLE) {
            StringBuilder b = bundle();
            for (int p = first; p < Math.min(people.size(), first + PER_BUNDLE); p++) {
                entry(b, "PUT", "Patient/bench-person-" + p, "{\"resourceType\":\"Patient\",\"id\":\"bench-person-" + p
                        + "\",\"managingOrganization\":{\"reference\":\"Organization/" + people.get(p).get(0).organisation() + "\"}}");
            }
            fhir.transaction(end(b));
        }
        int written = 0;
        StringBuilder b = bundle();
        int inBundle = 0;
        for (int p = 0; p < people.size(); p++) {
            for (ScoreGenerator.Score s : people.get(p)) {
                entry(b, "POST", "Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                        + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"survey\"}]}],\"code\":{\"coding\":[{"
                        + "\"system\":\"" + ScoreGenerator.SYSTEM + "\",\"code\":\"" + ScoreGenerator.CODE + "\"}]},\"subject\":{\"reference\":"
                        + "\"Patient/bench-person-" + p + "\"},\"effectiveDateTime\":\"" + s.instant() + "\",\"performer\":[{\"reference\":"
                        + "\"Organization/" + s.organisation() + "\"}],\"valueQuantity\":{\"value\":" + (long) s.value()
                        + ",\"unit\":\"{score}\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"{score}\"}}");
                written++;
                if (++inBundle == PER_BUNDLE) {
                    fhir.transaction(end(b));
                    b = bundle();
                    inBundle = 0;
                }
            }
        }
        if (inBundle > 0) {
            fhir.transaction(end(b));
        }
        return written;
    }

    /** The paging client's means against $aggregate's published ones (disclosure control: 1 decimal, small cells masked). */
    private static void compare(FhirClient hub, PagingClient.Paged paged, Results results) {
        JsonNode report = hub.getJson(QUERY);
        Map<String, Double> published = new HashMap<>();
        for (JsonNode stratum : stratifier(report).path("stratum")) {
            Map<String, String> labels = new HashMap<>();
            stratum.path("component").forEach(c -> labels.put(c.path("code").path("coding").path(0).path("code").asText(),
                    c.path("value").path("text").asText()));
            JsonNode mean = stratum.path("measureScore").path("value");
            if (!mean.isMissingNode()) {
                published.put(labels.get("organization") + "|" + labels.get("quarter"), mean.asDouble());
            }
        }
        int agree = 0;
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, Double> e : published.entrySet()) {
            PagingClient.Cell mine = paged.cells().get(e.getKey());
            if (mine != null && Math.abs(mine.mean() - e.getValue()) <= 0.05 + 1e-9) {
                agree++;
            } else {
                differ.add(e.getKey() + ": $aggregate " + e.getValue() + ", paging " + (mine == null ? "none" : mine.mean()));
            }
        }
        results.note("aggregate", "H2: the paging client's means agree with $aggregate's in %d of %d published cells%s", agree,
                published.size(), differ.isEmpty() ? "" : " (differ: " + String.join("; ", differ.subList(0, Math.min(5, differ.size()))) + ")");
        if (!differ.isEmpty() || published.isEmpty()) {
            throw new IllegalStateException("the paging client does not compute what $aggregate reports: " + differ);
        }
    }

    /** The organization+quarter stratifier (the report also has one per single dimension). */
    private static JsonNode stratifier(JsonNode report) {
        for (JsonNode s : report.path("group").path(0).path("stratifier")) {
            if ("organization+quarter".equals(s.path("code").path(0).path("text").asText())) {
                return s;
            }
        }
        throw new IllegalStateException("$aggregate returned no organization+quarter stratifier");
    }

    private static StringBuilder bundle() {
        return new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
    }

    private static void entry(StringBuilder b, String method, String url, String resource) {
        if (b.charAt(b.length() - 1) != '[') {
            b.append(',');
        }
        b.append("{\"resource\":").append(resource).append(",\"request\":{\"method\":\"").append(method).append("\",\"url\":\"")
                .append(url).append("\"}}");
    }

    private static String end(StringBuilder b) {
        return b.append("]}").toString();
    }

    /** The server's H2 URL without its options, for a JDBC connection while the server is stopped. */
    static String h2(String serverUrl) {
        int semicolon = serverUrl.indexOf(';');
        return semicolon < 0 ? serverUrl : serverUrl.substring(0, semicolon);
    }
}
