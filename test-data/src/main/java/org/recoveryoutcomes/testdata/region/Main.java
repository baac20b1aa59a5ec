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
            usage: java -jar test-data-0.1.0-exec.jar (--out DIR | --load FHIR_BASE_URL) [options]
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
            """.formatted(RegionSettings.DEFAULT_END);

    record Arguments(RegionSettings settings, Path out, boolean gzip, String load, int threads, String token, String client) {
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
        FhirContext fhir = FhirContext.forR4Cached();
        BundleSink sink = a.out() != null ? new BundleFiles(fhir, a.out(), a.gzip()) : new FhirServerSink(fhir, a.load(), a.token(), a.client());
        Progress progress = new Progress(a.out() != null ? "Generated" : "Loaded", a.settings().patients(), System.err,
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
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--gzip")) {
                gzip = true;
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
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(name + ": " + value + " is not valid");
            }
        }
        if ((out == null) == (load == null)) {
            throw new IllegalArgumentException("give exactly one of --out DIR and --load FHIR_BASE_URL");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be 1 or more");
        }
        return new Arguments(new RegionSettings(patients, organisations, years, seed, end, bundleSize), out, gzip, load, threads, token, client);
    }
}
