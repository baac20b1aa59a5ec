package org.recoveryoutcomes.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The benchmark suite (issues 4, 6 and 9): run from the repository root after building,
 * {@code java -jar bench/target/bench.jar [--quick] [--only score,ingest,profile,aggregate-h2,aggregate-pg,soak] [--jfr] [--soak-minutes N]}.
 * Prints a table; the full run writes bench/results.json and docs/performance.md, {@code --quick} writes the same
 * files under bench/target/quick/.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar bench/target/bench.jar [--quick] [--only SECTION,...] [--jfr] [--soak-minutes N]
              --quick   reduced run for checking a change (about 8 minutes on an idle 2-core machine);
                        writes bench/target/quick/ instead of bench/results.json and docs/performance.md
              --only    sections to run: %s (default: all)
              --jfr     record each server with Java Flight Recorder (bench/target/run/<server>.jfr)
              --soak-minutes  length of the soak's measured phase (default 10, 1 with --quick)
            """.formatted(String.join(", ", Plan.SECTIONS));

    private final Duration soak;

    private Main(Duration soak) {
        this.soak = soak;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean jfr = false;
        Integer soakMinutes = null;
        Set<String> sections = new LinkedHashSet<>(Plan.SECTIONS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jfr" -> jfr = true;
                case "--soak-minutes" -> soakMinutes = Integer.parseInt(args[++i]);
                case "--only" -> {
                    sections = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    if (!Plan.SECTIONS.containsAll(sections)) {
                        System.err.print(USAGE);
                        System.exit(2);
                    }
                }
                default -> {
                    System.err.print(USAGE);
                    System.exit(args[i].equals("--help") ? 0 : 2);
                }
            }
        }
        Plan plan = quick ? Plan.quick(sections, jfr) : Plan.full(sections, jfr);
        Path root = repositoryRoot();
        Path jar = root.resolve("server/target/server-0.1.0.jar");
        if (!Files.isRegularFile(jar)) {
            System.err.println(jar + " is missing: mvn -q -pl bench -am package -DskipTests");
            System.exit(2);
        }
        Path runDir = root.resolve("bench/target/run");
        delete(runDir);
        Files.createDirectories(runDir);

        Machine before = Machine.now();
        Instant started = Instant.now();
        Results results = new Results();
        new Main(SoakBenchmark.duration(plan, soakMinutes)).run(plan, jar, runDir, results);
        Machine after = Machine.now();

        Path out = quick ? root.resolve("bench/target/quick") : root;
        Path json = quick ? out.resolve("results.json") : root.resolve("bench/results.json");
        Path doc = quick ? out.resolve("performance.md") : root.resolve("docs/performance.md");
        Files.createDirectories(json.getParent());
        Files.createDirectories(doc.getParent());
        Files.writeString(json, Report.json(results));
        Files.writeString(doc, Report.markdown(results, plan, before, after, started, Instant.now(), root));
        System.out.println();
        System.out.println(Report.table(results));
        System.out.println("written: " + root.relativize(json) + ", " + root.relativize(doc));
        deleteData(runDir);
    }

    private void run(Plan plan, Path jar, Path runDir, Results results) {
        if (plan.runs("score")) {
            section("$score (JMH, in-process)");
            ScoreBenchmark.run(plan, results);
        }
        Servers servers = new Servers(jar, runDir, plan);
        ServerProcess pipeline = null;
        try {
            if (plan.runs("ingest")) {
                section("ingest: plain store, then the full pipeline");
                IngestBenchmark.Run plain;
                try (ServerProcess server = servers.h2("ingest-plain", List.of("recovery.scoring.enabled=false"))) {
                    results.note("startup", "plain server (recovery.scoring.enabled=false): up after %.1f s", server.startupSeconds);
                    FhirClient ehr = new FhirClient(server.base, "demo-ehr", "demo-ehr-secret");
                    plain = ingest(server, servers.backlog("ingest-plain"), ehr, plan, "plain", results);
                    int scores = ehr.getJson("Observation?_summary=count").path("total").asInt();
                    results.note("ingest", "plain: %,d Observations stored (none expected: the pipeline is off)", scores);
                }
                pipeline = servers.h2("pipeline", List.of());
                results.put("startup_s", pipeline.startupSeconds);
                results.note("startup", "pipeline server (defaults): up after %.1f s — the figure", pipeline.startupSeconds);
                FhirClient ehr = new FhirClient(pipeline.base, "demo-ehr", "demo-ehr-secret");
                IngestBenchmark.Run full = ingest(pipeline, servers.backlog("pipeline"), ehr, plan, "pipeline", results);
                results.put("rss_mb", pipeline.rssMb());
                int scores = ehr.getJson("Observation?_summary=count").path("total").asInt();
                results.note("ingest", "pipeline: %,d score Observations stored with the responses", scores);
                if (scores == 0) {
                    throw new IllegalStateException("the pipeline server stored no score Observations: is the pipeline on?");
                }
                results.put("ingest_plain_per_s", plain.perSecond());
                results.put("ingest_pipeline_per_s", full.perSecond());
                results.put("ingest_ratio", full.perSecond() / plain.perSecond());
                results.note("ingest", "server CPU time per response, plain ÷ pipeline: %.2f (the same ratio by cost rather than by"
                        + " throughput, less sensitive to other load on the machine)", plain.cpuMsPerResponse() / full.cpuMsPerResponse());
            }
            if ((plan.runs("profile") || plan.runs("aggregate-h2")) && pipeline == null) {
                pipeline = servers.h2("pipeline", List.of());
            }
            if (plan.runs("profile")) {
                section("$recovery-profile");
                ProfileBenchmark.run(servers.root(), runDir, pipeline, new FhirClient(pipeline.base, "demo-ehr", "demo-ehr-secret"), plan, results);
            }
            if (plan.runs("aggregate-h2")) {
                section("$aggregate on H2, and paging");
                double pagingPerSecond = AggregateBenchmark.onH2(pipeline, servers.h2Url("pipeline"),
                        label -> servers.h2As(label, "pipeline", List.of()), plan, results);
                double pagingMs = plan.facts() / pagingPerSecond * 1000;
                Double aggregateMs = results.get("aggregate_1m_p50_ms_h2");
                results.put("aggregate_vs_paging_ratio", pagingMs / aggregateMs);
                results.note("aggregate", "paging %,d facts' Observations at the measured rate would take %.0f s (extrapolated):"
                        + " $aggregate is %.0f times faster", plan.facts(), pagingMs / 1000, pagingMs / aggregateMs);
            }
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
        }
        if (plan.runs("aggregate-pg")) {
            section("$aggregate on PostgreSQL");
            try (PostgresCluster pg = PostgresCluster.start()) {
                String url = pg.createDatabase("recovery");
                AggregateBenchmark.onPostgres(pg, url, label -> servers.start(label, List.of(
                        "spring.datasource.url=" + url, "spring.datasource.username=postgres", "spring.datasource.password=",
                        "spring.datasource.driver-class-name=org.postgresql.Driver",
                        "spring.jpa.properties.hibernate.dialect=ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect")), plan, results);
            }
        }
        if (plan.runs("soak")) {
            section("load and soak on PostgreSQL (%d min)".formatted(soak.toMinutes()));
            try (PostgresCluster pg = PostgresCluster.start()) {
                String url = pg.createDatabase("soak");
                SoakBenchmark.run(servers.root(), runDir, pg, label -> servers.start(label, SoakBenchmark.postgres(url)), soak, plan, results);
            }
        }
    }

    private static IngestBenchmark.Run ingest(ServerProcess server, Backlog backlog, FhirClient fhir, Plan plan, String label,
            Results results) {
        IngestBenchmark.Run r = IngestBenchmark.run(fhir, plan, label, server::cpuSeconds, backlog);
        results.note("ingest", "%s: %,d responses created in the %d s phase (%.1f/s as the clients saw it; p50 %.1f ms, p90 %.1f ms),"
                        + " then %.1f s until the audit relay and cube compactor had caught up: %.1f/s sustained; server CPU %.1f ms per"
                        + " response; %d errors%s%s", label, r.completed(), plan.measure().toSeconds(), r.clientPerSecond(), r.p50Ms(),
                r.p90Ms(), r.drainSeconds(), r.perSecond(), r.cpuMsPerResponse(), r.errors(),
                r.subjectsReused() > 0 ? String.format("; the pool of %,d new Patients ran out: %,d measured responses reused a subject",
                        r.patients(), r.subjectsReused()) : "",
                r.firstErrors().isEmpty() ? "" : " — first: " + r.firstErrors().get(0));
        if (r.errors() > r.completed() / 100) {
            throw new IllegalStateException(label + ": too many failed requests: " + r.firstErrors());
        }
        return r;
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    /** Starts servers on databases under the run directory. */
    private record Servers(Path jar, Path runDir, Plan plan) {

        Path root() {
            return runDir.getParent().getParent().getParent();
        }

        /**
         * AUTO_SERVER: the bench reads the backlog tables while the server has the database open (H2 refuses it together
         * with the server's DB_CLOSE_ON_EXIT=FALSE, so H2 closes the database in its own shutdown hook here).
         */
        String h2Url(String database) {
            return "jdbc:h2:file:" + runDir.resolve(database + "-h2").resolve("recovery") + ";AUTO_SERVER=TRUE";
        }

        Backlog backlog(String database) {
            return new Backlog(h2Url(database));
        }

        /** A server on its own new H2 database named like it. */
        ServerProcess h2(String name, List<String> settings) {
            return h2As(name, name, settings);
        }

        ServerProcess h2As(String name, String database, List<String> settings) {
            List<String> all = new ArrayList<>(settings);
            all.add("spring.datasource.url=" + h2Url(database));
            return start(name, all);
        }

        ServerProcess start(String name, List<String> settings) {
            List<String> all = new ArrayList<>(settings);
            all.add("recovery.demo.enabled=false");
            List<String> jvm = new ArrayList<>(List.of(Plan.SERVER_HEAP));
            if (plan.jfr()) {
                // HAPI's stacks are deep: the default depth (64) cuts off the project's hooks
                jvm.add("-XX:FlightRecorderOptions:stackdepth=512");
                jvm.add("-XX:StartFlightRecording=filename=" + runDir.resolve(name + ".jfr") + ",settings=profile,dumponexit=true");
            }
            return ServerProcess.start(jar, runDir, name, jvm, all);
        }
    }

    /** The checkout: bench.jar lives in bench/target, the classes in bench/target/classes when run from the IDE. */
    static Path repositoryRoot() throws URISyntaxException {
        Path here = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bench/pom.xml")) && Files.isDirectory(p.resolve("server"))) {
                return p;
            }
        }
        throw new IllegalStateException("run bench.jar from its place in the checkout (bench/target/bench.jar)");
    }

    /** The databases are big (a million facts); the logs and recordings stay. */
    private static void deleteData(Path runDir) {
        try (Stream<Path> dirs = Files.list(runDir)) {
            dirs.filter(d -> d.getFileName().toString().endsWith("-h2")).forEach(Main::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
