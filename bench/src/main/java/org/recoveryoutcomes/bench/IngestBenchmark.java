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
import java.util.function.DoubleSupplier;

/**
 * End-to-end ingest: {@code clients} threads POST completed QPR-15 responses (the golden responses as templates, each
 * with a new subject) as fast as the server answers. A warm-up phase runs on Patients created for it (reused if it
 * outruns them); its rate sizes the pool of new Patients for the measured phase, which are created (transaction
 * Bundles) before it starts, so that every measured response has a subject of its own however fast the machine is.
 * Throughput = 201s completed in the measured phase / its length.
 */
final class IngestBenchmark {

    static final List<String> TEMPLATES = List.of("qpr-15-all-agree-strongly", "qpr-15-all-agree", "qpr-15-all-disagree-strongly",
            "qpr-15-mixed");
    private static final String SUBJECT = "Patient/example";
    private static final int PATIENTS_PER_BUNDLE = 500;

    /**
     * @param perSecond        responses completed in the measured phase / (its length + the time the server then needed
     *                         to finish the work they left behind: audit relay, cube compaction)
     * @param clientPerSecond  responses completed in the measured phase / its length, as the clients saw it
     * @param drainSeconds     the time the server needed after the phase to clear its backlog
     * @param subjectsReused   measured posts that had to reuse a subject (the pool was too small)
     * @param cpuMsPerResponse the server's CPU time from the start of the phase to the end of the drain, per response
     */
    record Run(double perSecond, double clientPerSecond, double drainSeconds, long completed, long errors, double p50Ms, double p90Ms,
               int patients, long subjectsReused, List<String> firstErrors, double cpuMsPerResponse) {
    }

    private record Phase(long completed, long errors, long posted, long[] latencies) {
    }

    private IngestBenchmark() {
    }

    /**
     * @param cpuSeconds the server's CPU time so far
     * @param backlog    the server's unfinished background work
     */
    static Run run(FhirClient fhir, Plan plan, String label, DoubleSupplier cpuSeconds, Backlog backlog) {
        List<String> templates = TEMPLATES.stream().map(t -> resource("golden/qpr-15/" + t + ".json")).toList();
        templates.forEach(t -> {
            if (!t.contains(SUBJECT)) {
                throw new IllegalStateException("a QPR-15 template has no subject " + SUBJECT);
            }
        });
        List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
        List<String> warmPatients = createPatients(fhir, plan.warmUpPatients(), plan.clients(), label, "warm-up");
        Phase warm = phase(fhir, templates, warmPatients, plan.clients(), plan.warmUp().toNanos(), firstErrors);
        double warmRate = warm.completed() / (double) plan.warmUp().toSeconds();
        System.out.printf("  %s: warm-up %d s, %d clients: %.1f/s%n", label, plan.warmUp().toSeconds(), plan.clients(), warmRate);

        int needed = (int) Math.min(plan.patients(), Math.max(2_000, Math.ceil(warmRate * plan.measure().toSeconds() * 2.5)));
        List<String> patients = createPatients(fhir, needed, plan.clients(), label, "measured phase");
        double before = backlog.drain();
        System.out.printf("  %s: the warm-up's backlog drained in %.1f s%n", label, before);
        double cpuAtStart = cpuSeconds.getAsDouble();
        Phase measured = phase(fhir, templates, patients, plan.clients(), plan.measure().toNanos(), firstErrors);
        double drain = backlog.drain();
        double cpu = cpuSeconds.getAsDouble() - cpuAtStart;
        double window = plan.measure().toNanos() / 1e9;
        return new Run(measured.completed() / (window + drain), measured.completed() / window, drain, measured.completed(),
                measured.errors(), Results.percentileMs(measured.latencies(), 50), Results.percentileMs(measured.latencies(), 90),
                patients.size(), Math.max(0, measured.posted() - patients.size()), List.copyOf(firstErrors),
                cpu * 1000 / Math.max(1, measured.completed()));
    }

    /** The clients post until the phase ends; a response counts when it completes within the phase. */
    private static Phase phase(FhirClient fhir, List<String> templates, List<String> subjects, int clients, long nanos,
            List<String> firstErrors) {
        long end = System.nanoTime() + nanos;
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Phase>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                long[] latencies = new long[1024];
                int n = 0;
                long completed = 0;
                long errors = 0;
                long start;
                while ((start = System.nanoTime()) < end) {
                    int i = next.getAndIncrement();
                    String body = templates.get(i % templates.size()).replace(SUBJECT, "Patient/" + subjects.get(i % subjects.size()));
                    HttpResponse<String> r = fhir.post("QuestionnaireResponse", body, "return=minimal");
                    long done = System.nanoTime();
                    if (done > end) {
                        break;
                    }
                    if (r.statusCode() != 201) {
                        errors++;
                        if (firstErrors.size() < 3) {
                            firstErrors.add("HTTP " + r.statusCode() + " " + FhirClient.abbreviate(r.body()));
                        }
                        continue;
                    }
                    completed++;
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = done - start;
                }
                return new Phase(completed, errors, 0, Arrays.copyOf(latencies, n));
            }));
        }
        long completed = 0;
        long errors = 0;
        List<long[]> latencies = new ArrayList<>();
        try {
            for (Future<Phase> w : workers) {
                Phase p = w.get();
                completed += p.completed();
                errors += p.errors();
                latencies.add(p.latencies());
            }
        } catch (Exception e) {
            throw new IllegalStateException("an ingest client failed", e);
        } finally {
            pool.shutdownNow();
        }
        return new Phase(completed, errors, next.get(), latencies.stream().flatMapToLong(Arrays::stream).toArray());
    }

    /** Patients in transaction Bundles of 500, on {@code threads} threads; returns their server-assigned ids. */
    static List<String> createPatients(FhirClient fhir, int count, int threads, String label, String purpose) {
        long t0 = System.nanoTime();
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
                        bundle.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":")
                                .append("\"Bench\",\"given\":[\"P").append(first + i).append("\"]}]},")
                                .append("\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
                    }
                    JsonNode response = fhir.transaction(bundle.append("]}").toString());
                    List<String> ids = new ArrayList<>();
                    for (JsonNode e : response.path("entry")) {
                        ids.add(e.path("response").path("location").asText().split("/")[1]);
                    }
                    return ids;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<List<String>> p : parts) {
                ids.addAll(p.get());
            }
            System.out.printf("  %s: %,d Patients for the %s created in %.1f s%n", label, ids.size(), purpose, (System.nanoTime() - t0) / 1e9);
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
