package org.recoveryoutcomes.testdata.region;

import ca.uhn.fhir.context.FhirContext;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Command line: generates a synthetic region to files ({@code --out}) or loads it into a FHIR server ({@code --load}).
 * See test-data/README.md.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar test-data-0.1.0-exec.jar (--out DIR | --load FHIR_BASE_URL [--from DIR [--resume]]) [options]
              --patients N        people (default 1000)
              --organisations N   trusts, each with four teams (default 3)
              --years N           length of the period (default 2)
              --seed N            random seed; same seed, same output (default 42)
              --end YYYY-MM-DD    last day of the period (default %s)
              --bundle-size N     people per transaction Bundle (default 10)
              --threads N         bundles made (and sent) in parallel (default: number of CPUs)
              --gzip              write region-NNNNNN.json.gz instead of .json (with --out)
              --token TOKEN       bearer token for --load
              --client ID:SECRET  get (and renew) tokens for --load as this client_credentials client
              --from DIR          with --load: send the files --out wrote (one file at a time per thread) instead of
                                  generating; each file taken is noted in DIR/loaded.txt
              --resume            with --from: skip the files DIR/loaded.txt lists
            """.formatted(RegionSettings.DEFAULT_END);

    record Arguments(RegionSettings settings, Path out, boolean gzip, String load, int threads, String token, String client,
            Path from, boolean resume) {
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // HAPI's informational logging would break up the progress bar
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Arguments a;
        try {
            a = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (a.from() != null) {
            loadFiles(a);
            return;
        }
        FhirContext fhir = FhirContext.forR4Cached();
        // the encoder otherwise walks every element of each Bundle looking for references to resources without an id,
        // to contain them; the generator writes every reference as text, so there is none: same bytes, a third less CPU
        fhir.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        BundleSink sink = a.out() != null ? new BundleFiles(fhir, a.out(), a.gzip()) : new FhirServerSink(fhir, a.load(), a.token(), a.client());
        Progress progress = new Progress(a.out() != null ? "Generated" : "Loaded", a.settings().patients(), "people", System.err,
                System.console() != null);
        try {
            run(fhir, a.settings(), sink, a.threads(), progress);
        } catch (Exception e) {
            progress.finish();
            System.err.println((a.out() != null ? "Generation" : "Load") + " failed: " + e.getMessage());
            System.exit(1);
        }
        progress.finish();
    }

    /**
     * Makes the region's bundles on {@code threads} threads, the organisations first (people refer to their teams),
     * and hands each to {@code sink}; stops at the first failure and rethrows it.
     */
    static void run(FhirContext fhir, RegionSettings settings, BundleSink sink, int threads, Progress progress) throws Exception {
        RegionGenerator first = new RegionGenerator(fhir, settings);
        RegionBundle organisations = first.bundle(0);
        sink.accept(organisations);
        progress.done(organisations);
        AtomicInteger next = new AtomicInteger(1);
        AtomicBoolean failed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                RegionGenerator generator = t == 0 ? first : new RegionGenerator(fhir, settings);
                workers.add(pool.submit(() -> {
                    for (int n = next.getAndIncrement(); n < generator.bundleCount() && !failed.get(); n = next.getAndIncrement()) {
                        RegionBundle bundle = generator.bundle(n);
                        try {
                            sink.accept(bundle);
                        } catch (Exception e) {
                            failed.set(true);
                            throw e;
                        }
                        progress.done(bundle);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                try {
                    worker.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void loadFiles(Arguments a) {
        FhirServerSink sink = new FhirServerSink(FhirContext.forR4Cached(), a.load(), a.token(), a.client());
        try {
            RegionFiles region = new RegionFiles(a.from());
            List<Path> files = region.files();
            List<Path> todo = a.resume() ? files.stream().filter(f -> !region.isLoaded(f)).toList() : files;
            if (todo.size() < files.size()) {
                System.err.printf(java.util.Locale.ROOT, "Resuming: %,d of %,d files already loaded (%s)%n", files.size() - todo.size(),
                        files.size(), a.from().resolve(RegionFiles.LEDGER));
            }
            Progress progress = new Progress("Loaded", todo.size(), "bundles", System.err, System.console() != null);
            // a load stopped with Ctrl-C (or a time limit) still says what it did; --resume carries on from there
            Runtime.getRuntime().addShutdownHook(new Thread(progress::finish));
            try {
                load(region, todo, sink, a.threads(), progress);
            } finally {
                progress.finish();
            }
        } catch (Exception e) {
            System.err.println("Load failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Sends {@code files} to {@code sink} on {@code threads} threads, each holding one file at a time; the
     * organisations' file (region-000000, which every person refers to) goes alone first. Stops at the first failure.
     */
    static void load(RegionFiles region, List<Path> files, FhirServerSink sink, int threads, Progress progress) throws Exception {
        int first = 0;
        if (!files.isEmpty() && files.get(0).getFileName().toString().startsWith(BundleFiles.fileName(0, false))) {
            send(region, files.get(0), sink, progress);
            first = 1;
        }
        AtomicInteger next = new AtomicInteger(first);
        AtomicBoolean failed = new AtomicBoolean();
        parallel(threads, () -> {
            for (int n = next.getAndIncrement(); n < files.size() && !failed.get(); n = next.getAndIncrement()) {
                try {
                    send(region, files.get(n), sink, progress);
                } catch (Exception e) {
                    failed.set(true);
                    throw e;
                }
            }
        });
    }

    private static void send(RegionFiles region, Path file, FhirServerSink sink, Progress progress) throws Exception {
        RegionFiles.Contents contents = RegionFiles.read(file);
        sink.send(file.getFileName().toString(), contents.json(), contents.requestUrls());
        region.markLoaded(file);
        progress.done(1, contents.requestUrls().size());
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} on {@code threads} threads; the first failure stops the others and is rethrown. */
    private static void parallel(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    work.run();
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                try {
                    worker.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    pool.shutdownNow();
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static Arguments parse(String[] args) {
        int patients = 1000;
        int organisations = 3;
        int years = 2;
        long seed = 42;
        LocalDate end = RegionSettings.DEFAULT_END;
        int bundleSize = 10;
        int threads = Runtime.getRuntime().availableProcessors();
        Path out = null;
        String load = null;
        String token = null;
        String client = null;
        boolean gzip = false;
        Path from = null;
        boolean resume = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--gzip")) {
                gzip = true;
                continue;
            }
            if (name.equals("--resume")) {
                resume = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            try {
                switch (name) {
                    case "--patients" -> patients = Integer.parseInt(value);
                    case "--organisations" -> organisations = Integer.parseInt(value);
                    case "--years" -> years = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--end" -> end = LocalDate.parse(value);
                    case "--bundle-size" -> bundleSize = Integer.parseInt(value);
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--out" -> out = Path.of(value);
                    case "--load" -> load = value;
                    case "--token" -> token = value;
                    case "--client" -> client = value;
                    case "--from" -> from = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(name + ": " + value + " is not valid");
            }
        }
        if ((out == null) == (load == null)) {
            throw new IllegalArgumentException("give exactly one of --out DIR and --load FHIR_BASE_URL");
        }
        if (from != null && load == null) {
            throw new IllegalArgumentException("--from DIR goes with --load FHIR_BASE_URL");
        }
        if (resume && from == null) {
            throw new IllegalArgumentException("--resume goes with --from DIR");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be 1 or more");
        }
        return new Arguments(new RegionSettings(patients, organisations, years, seed, end, bundleSize), out, gzip, load, threads, token, client,
                from, resume);
    }
}
