package org.recoveryoutcomes.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load and soak (issue 10): the server jar on a new PostgreSQL cluster, a small synthetic region loaded through the API,
 * then {@link #CLIENTS} client threads issue a weighted mix of submissions, reads, searches, profiles and aggregates for
 * a bounded time while the server's heap after a full GC is sampled every {@link #HEAP_EVERY}. Every non-2xx answer
 * (and every failed connection) is an error and is listed.
 */
final class SoakBenchmark {

    static final int CLIENTS = 4;
    static final Duration HEAP_EVERY = Duration.ofSeconds(30);
    static final int NEW_PATIENTS = 1_000;
    private static final String SUBJECT = "Patient/example";
    private static final Pattern AUTHORED = Pattern.compile("\"authored\"\\s*:\\s*\"[^\"]*\"");

    /** The mix; weights are out of 100. */
    enum Kind {
        SUBMIT("POST QuestionnaireResponse (QPR-15, completed)", 25),
        READ_PATIENT("GET Patient/{id}", 15),
        SEARCH_OBSERVATION("GET Observation?subject=", 15),
        SEARCH_RESPONSE("GET QuestionnaireResponse?subject=", 15),
        PROFILE("GET Patient/{id}/$recovery-profile", 20),
        AGGREGATE("GET Observation/$aggregate (hub)", 10);

        final String label;
        final int weight;

        Kind(String label, int weight) {
            this.label = label;
            this.weight = weight;
        }

        static Kind pick(Random random) {
            int r = random.nextInt(100);
            for (Kind k : values()) {
                r -= k.weight;
                if (r < 0) {
                    return k;
                }
            }
            throw new IllegalStateException("the weights do not add up to 100");
        }
    }

    /** Durations in ns per kind, errors, for one phase. */
    private static final class Tally {
        final Map<Kind, long[]> nanos = new EnumMap<>(Kind.class);
        final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        final Map<Kind, Integer> errors = new EnumMap<>(Kind.class);

        void ok(Kind k, long ns) {
            int n = counts.getOrDefault(k, 0);
            long[] a = nanos.computeIfAbsent(k, x -> new long[1024]);
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
                nanos.put(k, a);
            }
            a[n] = ns;
            counts.put(k, n + 1);
        }

        void error(Kind k) {
            errors.merge(k, 1, Integer::sum);
        }

        long[] of(Kind k) {
            return Arrays.copyOf(nanos.getOrDefault(k, new long[0]), counts.getOrDefault(k, 0));
        }

        void add(Tally other) {
            for (Kind k : Kind.values()) {
                for (long ns : other.of(k)) {
                    ok(k, ns);
                }
                errors.merge(k, other.errors.getOrDefault(k, 0), Integer::sum);
            }
        }

        int errorCount() {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** One heap sample: minutes since the measured phase started, MB used after a full GC. */
    record HeapSample(double minutes, double usedMb) {
    }

    private SoakBenchmark() {
    }

    /** The soak's length: {@code --soak-minutes}, else 10 minutes (1 with --quick). */
    static Duration duration(Plan plan, Integer minutes) {
        return Duration.ofMinutes(minutes != null ? minutes : plan.quick() ? 1 : 10);
    }

    static int regionPeople(Plan plan) {
        return plan.quick() ? 5 : 20;
    }

    static Duration warmUp(Plan plan) {
        return Duration.ofSeconds(plan.quick() ? 10 : 30);
    }

    /** The server settings for a PostgreSQL database, as the aggregate benchmark starts its PostgreSQL server. */
    static List<String> postgres(String url) {
        return List.of("spring.datasource.url=" + url, "spring.datasource.username=postgres", "spring.datasource.password=",
                "spring.datasource.driver-class-name=org.postgresql.Driver",
                "spring.jpa.properties.hibernate.dialect=ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");
    }

    static void run(Path root, Path runDir, PostgresCluster pg, AggregateBenchmark.Starter start, Duration duration, Plan plan,
            Results results) {
        int regionPeople = regionPeople(plan);
        Duration warmUp = warmUp(plan);
        try (ServerProcess server = start.apply("soak-pg")) {
            results.note("soak", "PostgreSQL %s (new cluster, fsync on); server up after %.1f s on its new database", pg.version(),
                    server.startupSeconds);
            ProfileBenchmark.load(root, runDir, server, regionPeople);
            FhirClient ehr = new FhirClient(server.base, "demo-ehr", "demo-ehr-secret");
            FhirClient hub = new FhirClient(server.base, "demo-hub", "demo-hub-secret");
            List<String> region = new ArrayList<>();
            ehr.getJson("Patient?identifier=" + ProfileBenchmark.SYNTHETIC + "%7C&_elements=id&_count=" + regionPeople)
                    .path("entry").forEach(e -> region.add(e.path("resource").path("id").asText()));
            if (region.isEmpty()) {
                throw new IllegalStateException("the synthetic region has no people");
            }
            List<String> fresh = IngestBenchmark.createPatients(ehr, NEW_PATIENTS, CLIENTS, "soak", "submissions");
            List<String> templates = IngestBenchmark.TEMPLATES.stream().map(t -> IngestBenchmark.resource("golden/qpr-15/" + t + ".json"))
                    .toList();
            Mix mix = new Mix(ehr, hub, templates, region, fresh);

            System.out.printf("  soak: warm-up %d s, %d clients%n", warmUp.toSeconds(), CLIENTS);
            Phase warm = mix.phase(warmUp, null, null);
            System.out.printf("  soak: warm-up done, %d requests, %d errors%n", warm.tally.counts.values().stream().mapToInt(i -> i).sum(),
                    warm.tally.errorCount());

            String load0 = loadAverage();
            long logAt = logLength(server.log);
            List<HeapSample> heap = Collections.synchronizedList(new ArrayList<>());
            Phase measured = mix.phase(duration, server, heap);
            String load1 = loadAverage();
            report(results, measured, heap, duration, regionPeople, fresh.size(), load0, load1, newLogLines(server.log, logAt));
        }
    }

    private record Phase(Tally tally, List<String> firstErrors, double seconds) {
    }

    /** The clients and what they ask for. */
    private record Mix(FhirClient ehr, FhirClient hub, List<String> templates, List<String> region, List<String> fresh) {

        /**
         * @param server when given, its heap after GC is sampled into {@code heap} at the start, every {@link #HEAP_EVERY} and
         *               at the end
         */
        Phase phase(Duration length, ServerProcess server, List<HeapSample> heap) {
            AtomicInteger nextSubmission = new AtomicInteger();
            List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
            AtomicLong started = new AtomicLong(System.nanoTime());
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            if (server != null) {
                sampler.scheduleAtFixedRate(() -> heap.add(new HeapSample((System.nanoTime() - started.get()) / 6e10, heapAfterGcMb(server))),
                        0, HEAP_EVERY.toSeconds(), TimeUnit.SECONDS);
            }
            long t0 = started.get();
            long end = t0 + length.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<Tally>> workers = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Random random = new Random(1_000 + c);
                workers.add(pool.submit(() -> {
                    Tally tally = new Tally();
                    while (System.nanoTime() < end) {
                        Kind kind = Kind.pick(random);
                        long t = System.nanoTime();
                        String outcome;
                        try {
                            HttpResponse<String> r = send(kind, random, nextSubmission);
                            outcome = r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode() + " " + FhirClient.abbreviate(r.body());
                        } catch (RuntimeException e) {
                            outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
                        }
                        long ns = System.nanoTime() - t;
                        if (outcome == null) {
                            tally.ok(kind, ns);
                        } else {
                            tally.error(kind);
                            if (firstErrors.size() < 20) {
                                firstErrors.add(kind.label + ": " + outcome);
                            }
                        }
                    }
                    return tally;
                }));
            }
            Tally all = new Tally();
            try {
                for (Future<Tally> w : workers) {
                    all.add(w.get());
                }
            } catch (Exception e) {
                throw new IllegalStateException("a soak client failed", e);
            } finally {
                pool.shutdownNow();
                sampler.shutdown();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (server != null) {
                try {
                    sampler.awaitTermination(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                heap.add(new HeapSample((System.nanoTime() - t0) / 6e10, heapAfterGcMb(server)));
            }
            return new Phase(all, List.copyOf(firstErrors), seconds);
        }

        private HttpResponse<String> send(Kind kind, Random random, AtomicInteger nextSubmission) {
            String person = random.nextBoolean() ? region.get(random.nextInt(region.size())) : fresh.get(random.nextInt(fresh.size()));
            return switch (kind) {
                case SUBMIT -> {
                    int i = nextSubmission.getAndIncrement();
                    String body = templates.get(i % templates.size()).replace(SUBJECT, "Patient/" + fresh.get(i % fresh.size()));
                    // a new measurement each time: a subject the pool hands out again gets a later response, not a copy
                    body = AUTHORED.matcher(body).replaceFirst(Matcher.quoteReplacement("\"authored\": \""
                            + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\""));
                    yield ehr.post("QuestionnaireResponse", body, "return=minimal");
                }
                case READ_PATIENT -> ehr.get("Patient/" + person);
                case SEARCH_OBSERVATION -> ehr.get("Observation?subject=Patient/" + person + "&_count=50");
                case SEARCH_RESPONSE -> ehr.get("QuestionnaireResponse?subject=Patient/" + person + "&_count=50");
                case PROFILE -> ehr.get("Patient/" + person + "/$recovery-profile");
                case AGGREGATE -> hub.get(AggregateBenchmark.QUERY);
            };
        }
    }

    private static void report(Results results, Phase phase, List<HeapSample> heap, Duration duration, int regionPeople, int fresh,
            String load0, String load1, List<String> serverErrors) {
        Tally t = phase.tally;
        long[] all = Arrays.stream(Kind.values()).flatMapToLong(k -> Arrays.stream(t.of(k))).toArray();
        int errors = t.errorCount();
        results.put("soak_requests", all.length + errors);
        results.put("soak_errors", errors);
        results.put("soak_p50_ms", Results.percentileMs(all, 50));
        results.put("soak_p95_ms", Results.percentileMs(all, 95));
        results.put("soak_p99_ms", Results.percentileMs(all, 99));
        results.note("soak", "%d min measured after the warm-up, %d clients, loopback; %d people of a synthetic region (seed %d, 2 years) and"
                        + " %,d new Patients for the submissions; load average (1/5/15 min) %s at the start, %s at the end", duration.toMinutes(),
                CLIENTS, regionPeople, ProfileBenchmark.SEED, fresh, load0, load1);
        results.note("soak", "all: %,d requests (%.1f/s), %d errors; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", all.length + errors,
                (all.length + errors) / phase.seconds, errors, Results.percentileMs(all, 50), Results.percentileMs(all, 95),
                Results.percentileMs(all, 99), Results.percentileMs(all, 100));
        for (Kind k : Kind.values()) {
            long[] ns = t.of(k);
            results.note("soak", "%s (weight %d): %,d requests, %d errors; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms", k.label, k.weight,
                    ns.length + t.errors.getOrDefault(k, 0), t.errors.getOrDefault(k, 0), Results.percentileMs(ns, 50),
                    Results.percentileMs(ns, 95), Results.percentileMs(ns, 99));
        }
        phase.firstErrors.forEach(e -> results.note("soak", "error: %s", e));
        results.note("soak", "server log during the measured phase: %d ERROR lines%s", serverErrors.size(),
                serverErrors.isEmpty() ? "" : " — first: " + FhirClient.abbreviate(serverErrors.get(0)));

        List<HeapSample> samples = new ArrayList<>(heap);
        samples.sort((a, b) -> Double.compare(a.minutes(), b.minutes()));
        double half = duration.toNanos() / 6e10 / 2;
        List<HeapSample> second = samples.stream().filter(s -> s.minutes() >= half).toList();
        double slope = slope(second);
        HeapSample first = samples.get(0);
        HeapSample last = samples.get(samples.size() - 1);
        results.put("soak_heap_slope_mb_per_min", slope);
        results.put("soak_heap_first_mb", first.usedMb());
        results.put("soak_heap_last_mb", last.usedMb());
        results.note("soak", "heap after a full GC (%d samples): first %.1f MB, last %.1f MB (%+.1f MB), min %.1f MB, max %.1f MB; least-squares"
                        + " slope over the second half (%d samples): %+.2f MB/min", samples.size(), first.usedMb(), last.usedMb(),
                last.usedMb() - first.usedMb(), samples.stream().mapToDouble(HeapSample::usedMb).min().orElse(Double.NaN),
                samples.stream().mapToDouble(HeapSample::usedMb).max().orElse(Double.NaN), second.size(), slope);
        // a leak raises the floor; caches that fill and are released (soft references, time-to-live) only move the peaks
        results.note("soak", "floor (lowest sample) of the first half %.1f MB, of the second half %.1f MB",
                samples.stream().filter(s -> s.minutes() < half).mapToDouble(HeapSample::usedMb).min().orElse(Double.NaN),
                second.stream().mapToDouble(HeapSample::usedMb).min().orElse(Double.NaN));
        StringBuilder series = new StringBuilder();
        samples.forEach(s -> series.append(String.format(Locale.ROOT, "%s%.1f min %.1f MB", series.isEmpty() ? "" : ", ", s.minutes(), s.usedMb())));
        results.note("soak", "heap samples: %s", series);
    }

    /** Least-squares slope of used MB against minutes; NaN with fewer than two samples. */
    static double slope(List<HeapSample> samples) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = samples.stream().mapToDouble(HeapSample::minutes).average().orElseThrow();
        double my = samples.stream().mapToDouble(HeapSample::usedMb).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (HeapSample s : samples) {
            sxy += (s.minutes() - mx) * (s.usedMb() - my);
            sxx += (s.minutes() - mx) * (s.minutes() - mx);
        }
        return sxy / sxx;
    }

    /** {@code jcmd <pid> GC.run} (a full collection), then the heap's used size from {@code jcmd <pid> GC.heap_info}. */
    static double heapAfterGcMb(ServerProcess server) {
        jcmd(server.pid(), "GC.run");
        return usedMb(jcmd(server.pid(), "GC.heap_info"));
    }

    /**
     * The used size of the Java heap in a {@code GC.heap_info} answer: G1 prints one "garbage-first heap ... used NK"
     * line; the other collectors one line per generation (summed); Metaspace and class space are not heap.
     */
    static double usedMb(String heapInfo) {
        Pattern used = Pattern.compile("used (\\d+)K");
        long kb = 0;
        boolean any = false;
        for (String line : heapInfo.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Metaspace") || trimmed.startsWith("class space")) {
                break;
            }
            Matcher m = used.matcher(line);
            if (m.find() && (trimmed.startsWith("garbage-first heap") || trimmed.contains("generation") || trimmed.startsWith("PSYoungGen")
                    || trimmed.startsWith("ParOldGen") || trimmed.startsWith("ZHeap") || trimmed.startsWith("Shenandoah"))) {
                kb += Long.parseLong(m.group(1));
                any = true;
            }
        }
        if (!any) {
            throw new IllegalStateException("no heap size in jcmd GC.heap_info:\n" + heapInfo);
        }
        return kb / 1024.0;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(pid), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long logLength(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ERROR lines the server logged after {@code from} bytes. */
    private static List<String> newLogLines(Path log, long from) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            String text = new String(bytes, (int) Math.min(from, bytes.length), (int) Math.max(0, bytes.length - from));
            return text.lines().filter(l -> l.contains(" ERROR ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The weights as text, for the method. */
    static String mix() {
        StringBuilder b = new StringBuilder();
        for (Kind k : Kind.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(k.weight).append(" % `").append(k.label).append('`');
        }
        return b.toString();
    }
}
