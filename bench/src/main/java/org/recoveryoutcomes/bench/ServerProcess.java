package org.recoveryoutcomes.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real server jar in its own JVM on a free port, with its log in the run directory. {@link #start} returns once
 * {@code /actuator/health} says UP, which the server only does after its start-up runners (content install, read-model
 * rebuild) have finished. Every process is stopped when the bench JVM exits, whatever happens.
 */
final class ServerProcess implements AutoCloseable {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> {
            p.destroy();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        })));
    }

    final String name;
    final int port;
    final String base;
    final Path log;
    final double startupSeconds;
    private final Process process;

    private ServerProcess(String name, int port, Path log, Process process, double startupSeconds) {
        this.name = name;
        this.port = port;
        this.base = "http://localhost:" + port;
        this.log = log;
        this.process = process;
        this.startupSeconds = startupSeconds;
    }

    /**
     * @param jvmArgs  e.g. -Xmx1g, a JFR recording
     * @param settings Spring properties without the leading {@code --}
     */
    static ServerProcess start(Path jar, Path runDir, String name, List<String> jvmArgs, List<String> settings) {
        int port = freePort();
        Path log = runDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        settings.forEach(s -> command.add("--" + s));
        System.out.printf("  starting %s on port %d (log %s)%n", name, port, log);
        try {
            Files.createDirectories(runDir);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            RUNNING.add(p);
            waitForHealth(p, port, log);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  %s is up after %.1f s (pid %d)%n", name, seconds, p.pid());
            return new ServerProcess(name, port, log, p, seconds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitForHealth(Process p, int port, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the server exited with " + p.exitValue() + " during start-up:\n" + tail(log));
            }
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("the server did not report UP within 15 minutes:\n" + tail(log));
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size of the server's JVM in MB (VmRSS of /proc/pid/status). */
    double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for pid " + process.pid());
    }

    /** SIGTERM (Spring shuts down gracefully and closes the database), then SIGKILL after a minute. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            RUNNING.remove(process);
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        RUNNING.remove(process);
        System.out.printf("  stopped %s%n", name);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
