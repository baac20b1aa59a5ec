package org.recoveryoutcomes.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end ingest: {@code clients} threads POST completed QPR-15 responses (the golden responses as templates,
 * each with a new subject from a pool of Patients created beforehand in transaction Bundles) as fast as the server
 * answers, for a warm-up and then a measured window. Throughput = 201s completed inside the window / its length.
 */
final class IngestBenchmark {

    static final List<String> TEMPLATES = List.of("qpr-15-all-agree-strongly", "qpr-15-all-agree", "qpr-15-all-disagree-strongly",
            "qpr-15-mixed");
    private static final String SUBJECT = "Patient/example";
    private static final int PATIENTS_PER_BUNDLE = 500;

    record Run(double perSecond, long completed, long errors, double p50Ms, double p90Ms, int patients, long posted,
               List<String> firstErrors) {
    }

    private IngestBenchmark() {
    }

    static Run run(FhirClient fhir, Plan plan, String label) {
        List<String> templates = TEMPLATES.stream().map(t -> resource("golden/qpr-15/" + t + ".json")).toList();
        templates.forEach(t -> {
            if (!t.contains(SUBJECT)) {
                throw new IllegalStateException("a QPR-15 template has no subject " + SUBJECT);
            }
        });
        long t0 = System.nanoTime();
        List<String> patients = createPatients(fhir, plan.patients(), plan.clients());
        System.out.printf("  %s: %d Patients created in %.1f s%n", label, patients.size(), (System.nanoTime() - t0) / 1e9);

        long warmEnd = System.nanoTime() + plan.warmUp().toNanos();
        long end = warmEnd + plan.measure().toNanos();
        AtomicInteger next = new AtomicInteger();
        List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(plan.clients());
        List<Future<long[][]>> workers = new ArrayList<>();
        System.out.printf("  %s: %d clients, %d s warm-up, %d s measured%n", label, plan.clients(), plan.warmUp().toSeconds(),
                plan.measure().toSeconds());
        for (int c = 0; c < plan.clients(); c++) {
            workers.add(pool.submit(() -> {
                long[] latencies = new long[1024];
                int n = 0;
                long completed = 0;
                long errors = 0;
                long now;
                while ((now = System.nanoTime()) < end) {
                    int i = next.getAndIncrement();
                    String body = templates.get(i % templates.size()).replace(SUBJECT, "Patient/" + patients.get(i % patients.size()));
                    HttpResponse<String> r = fhir.post("QuestionnaireResponse", body, "return=minimal");
                    long done = System.nanoTime();
                    boolean inWindow = done >= warmEnd && done <= end;
                    if (r.statusCode() != 201) {
                        errors += inWindow ? 1 : 0;
                        if (firstErrors.size() < 3) {
                            firstErrors.add("HTTP " + r.statusCode() + " " + FhirClient.abbreviate(r.body()));
                        }
                        continue;
                    }
                    if (inWindow) {
                        completed++;
                        if (now >= warmEnd) {
                            if (n == latencies.length) {
                                latencies = Arrays.copyOf(latencies, n * 2);
                            }
                            latencies[n++] = done - now;
                        }
                    }
                }
                return new long[][]{Arrays.copyOf(latencies, n), {completed, errors}};
            }));
        }
        long completed = 0;
        long errors = 0;
        List<long[]> latencies = new ArrayList<>();
        try {
            for (Future<long[][]> w : workers) {
                long[][] r = w.get();
                latencies.add(r[0]);
                completed += r[1][0];
                errors += r[1][1];
            }
        } catch (Exception e) {
            throw new IllegalStateException(label + ": an ingest client failed", e);
        } finally {
            pool.shutdownNow();
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
        double perSecond = completed / (plan.measure().toNanos() / 1e9);
        return new Run(perSecond, completed, errors, Results.percentileMs(all, 50), Results.percentileMs(all, 90), patients.size(),
                next.get(), List.copyOf(firstErrors));
    }

    /** Patients in transaction Bundles of 500, on {@code threads} threads; returns their server-assigned ids. */
    static List<String> createPatients(FhirClient fhir, int count, int threads) {
        int bundles = (count + PATIENTS_PER_BUNDLE - 1) / PATIENTS_PER_BUNDLE;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int b = 0; b < bundles; b++) {
                int first = b * PATIENTS_PER_BUNDLE;
                int size = Math.min(PATIENTS_PER_BUNDLE, count - first);
                parts.add(pool.submit(() -> {
                    StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
                    for (int i = 0; i < size; i++) {
                        bundle.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":")
                                .append("\"urn:recovery-outcomes:bench-patient\",\"value\":\"").append(first + i).append("\"}],")
                                .append("\"name\":[{\"family\":\"Bench\",\"given\":[\"P").append(first + i).append("\"]}]},")
                                .append("\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
                    }
                    JsonNode response = fhir.transaction(bundle.append("]}").toString());
                    List<String> ids = new ArrayList<>();
                    for (JsonNode e : response.path("entry")) {
                        String location = e.path("response").path("location").asText();
                        ids.add(location.split("/")[1]);
                    }
                    return ids;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<List<String>> p : parts) {
                ids.addAll(p.get());
            }
            return ids;
        } catch (Exception e) {
            throw new IllegalStateException("creating the ingest Patients failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    static String resource(String path) {
        try (InputStream in = IngestBenchmark.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
