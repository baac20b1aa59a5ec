package org.recoveryoutcomes.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code Patient/{id}/$recovery-profile} over HTTP for people with two years of history: a small synthetic region is
 * loaded through the FHIR API with the project's generator (test-data's executable jar, as the README shows), then
 * one client calls the operation for its people in turn, after a warm-up.
 */
final class ProfileBenchmark {

    static final String SYNTHETIC = "urn:recovery-outcomes:synthetic-patient";
    static final int SEED = 7;

    private ProfileBenchmark() {
    }

    static void run(Path root, Path runDir, ServerProcess server, FhirClient fhir, Plan plan, Results results) {
        load(root, runDir, server, plan.profilePeople());
        JsonNode found = fhir.getJson("Patient?identifier=" + SYNTHETIC + "%7C&_elements=id&_count=" + plan.profilePeople());
        List<String> people = new ArrayList<>();
        found.path("entry").forEach(e -> people.add(e.path("resource").path("id").asText()));
        if (people.isEmpty()) {
            throw new IllegalStateException("the synthetic region has no people");
        }
        int[] history = new int[4];
        for (String p : people) {
            history[0] += count(fhir, "QuestionnaireResponse?subject=Patient/" + p);
            history[1] += count(fhir, "Observation?subject=Patient/" + p);
            history[2] += count(fhir, "Encounter?subject=Patient/" + p);
            history[3] += count(fhir, "Goal?subject=Patient/" + p);
        }
        results.note("profile", "%d people of a synthetic region (seed %d, 2 years), each with on average %.0f QuestionnaireResponses, %.0f"
                        + " Observations (scores and GAS ratings), %.0f Encounters, %.1f Goals", people.size(), SEED,
                history[0] / (double) people.size(), history[1] / (double) people.size(), history[2] / (double) people.size(),
                history[3] / (double) people.size());
        long[] nanos = new long[plan.profileCalls()];
        for (int i = -plan.profileWarmUps(); i < plan.profileCalls(); i++) {
            String p = people.get(Math.floorMod(i, people.size()));
            long t = System.nanoTime();
            HttpResponse<String> r = fhir.get("Patient/" + p + "/$recovery-profile");
            long elapsed = System.nanoTime() - t;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("$recovery-profile of " + p + ": HTTP " + r.statusCode() + " " + FhirClient.abbreviate(r.body()));
            }
            if (i >= 0) {
                nanos[i] = elapsed;
            }
        }
        double p50 = Results.percentileMs(nanos, 50);
        results.put("profile_p50_ms", p50);
        results.note("profile", "%d calls after %d warm-up calls, one client: p50 %.1f ms, p90 %.1f ms", nanos.length,
                plan.profileWarmUps(), p50, Results.percentileMs(nanos, 90));
    }

    private static int count(FhirClient fhir, String search) {
        return fhir.getJson(search + "&_summary=count").path("total").asInt();
    }

    /** test-data's generator, loading through the FHIR API with its own client_credentials tokens. */
    static void load(Path root, Path runDir, ServerProcess server, int people) {
        Path jar = root.resolve("test-data/target/test-data-0.1.0-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with mvn -pl bench -am package -DskipTests");
        }
        Path log = runDir.resolve("region-load.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                jar.toString(), "--patients", String.valueOf(people), "--organisations", "1", "--years", "2",
                "--seed", String.valueOf(SEED), "--threads", "2", "--load", server.base + "/fhir", "--client", "demo-ehr:demo-ehr-secret");
        System.out.printf("  loading a region of %d people with the test-data generator (log %s)%n", people, log);
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("the region load failed:\n" + ServerProcess.tail(log));
            }
            System.out.printf("  region loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
