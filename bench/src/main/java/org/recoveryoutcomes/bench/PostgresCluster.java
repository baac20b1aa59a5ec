package org.recoveryoutcomes.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster from Debian's binaries (/usr/lib/postgresql/N/bin or PG_BIN) on a free loopback
 * port, as the server's tests make one (server/src/test/.../testing/PostgresServer.java); run as the postgres user when
 * the bench runs as root (initdb refuses root). Same durability settings as the tests: fsync and synchronous commit on.
 */
final class PostgresCluster implements AutoCloseable {

    private final Path bin;
    private final Path base;
    private final Path dataDir;
    private final int port;
    private final boolean asPostgresUser = "root".equals(System.getProperty("user.name"));
    private boolean running;

    private PostgresCluster(Path bin, Path base, int port) {
        this.bin = bin;
        this.base = base;
        this.dataDir = base.resolve("data");
        this.port = port;
    }

    static PostgresCluster start() {
        try {
            Path base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "recovery-bench-pg-");
            Files.createDirectories(base.resolve("sock"));
            PostgresCluster pg = new PostgresCluster(findBin(), base, ServerProcess.freePort());
            if (pg.asPostgresUser) {
                run("chown", "-R", "postgres:postgres", base.toString());
            }
            pg.runAsOwner(pg.bin.resolve("initdb").toString(), "-D", pg.dataDir.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync");
            pg.runAsOwner(pg.bin.resolve("pg_ctl").toString(), "-D", pg.dataDir.toString(), "-l", base.resolve("pg.log").toString(),
                    "-w", "-t", "60", "-o", "-p " + pg.port + " -k " + base.resolve("sock") + " -c listen_addresses=127.0.0.1"
                            + " -c max_connections=200 -c fsync=on -c synchronous_commit=on", "start");
            pg.running = true;
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String version() {
        return bin.getParent().getFileName().toString();
    }

    String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", ""); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
            return jdbcUrl(name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() {
        if (running) {
            running = false;
            runAsOwner(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
        }
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("  could not delete " + base + ": " + e.getMessage());
        }
    }

    private void runAsOwner(String... command) {
        if (!asPostgresUser) {
            run(command);
            return;
        }
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(Arrays.asList(command));
        run(c.toArray(String[]::new));
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + String.join(" ", command) + "\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path findBin() throws IOException {
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                        .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql: apt-get install postgresql"));
            }
        }
        throw new IllegalStateException("PostgreSQL binaries not found: set PG_BIN or apt-get install postgresql");
    }
}
