package org.recoveryoutcomes.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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

/**
 * A real PostgreSQL server for tests: Debian's binaries (installed by .ci/run), a throw-away cluster under
 * target/, a free loopback port. Runs as the postgres user when the tests run as root (initdb refuses root).
 * Can be stopped and started again to test database outages, and can feed a streaming replica.
 */
public final class PostgresServer {

    private static PostgresServer shared;

    private final Path bin;
    private final Path dataDir;
    private final Path socketDir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path dataDir, Path socketDir, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.socketDir = socketDir;
        this.port = port;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    }

    /** One server per test JVM, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = create();
            shared.initdb();
            shared.start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stopQuietly));
        }
        return shared;
    }

    public static PostgresServer create() {
        try {
            Path base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "recovery-pg-");
            Path data = base.resolve("data");
            Path sockets = base.resolve("sock");
            Files.createDirectories(sockets);
            return new PostgresServer(findBin(), data, sockets, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public Path binDir() {
        return bin;
    }

    public String user() {
        return "postgres";
    }

    /** Creates a new, empty database and returns its JDBC URL. */
    public String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
            return jdbcUrl(name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    /** pg_dump in PostgreSQL's custom format into a file of the cluster's directory; returns the file. */
    public Path dump(String database) {
        Path file = dataDir.getParent().resolve(database + ".dump");
        runAsOwner(bin.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                "-Fc", "-f", file.toString(), database);
        return file;
    }

    /** pg_restore of a {@link #dump} into a new database of this server; returns its JDBC URL. */
    public String restore(Path dump, String database) {
        String url = createDatabase(database);
        runAsOwner(bin.resolve("pg_restore").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                "--no-owner", "--exit-on-error", "-d", database, dump.toString());
        return url;
    }

    /**
     * A hot standby of this server, fed by streaming replication: {@code pg_basebackup -R} (a copy of every database
     * with the connection back to this server), started on a port of its own and stopped when the JVM exits.
     */
    public PostgresServer startReplica() {
        PostgresServer replica = create();
        if (asPostgresUser) {
            run("chown", "-R", "postgres:postgres", replica.dataDir.getParent().toString());
        }
        runAsOwner(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                "-D", replica.dataDir.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync");
        replica.start();
        Runtime.getRuntime().addShutdownHook(new Thread(replica::stopQuietly));
        return replica;
    }

    void initdb() {
        if (asPostgresUser) {
            run("chown", "-R", "postgres:postgres", dataDir.getParent().toString());
        }
        runAsOwner(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-sync");
    }

    public void start() {
        runAsOwner(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", dataDir.getParent().resolve("pg.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + socketDir + " -c listen_addresses=127.0.0.1 -c max_connections=200"
                        + " -c fsync=on -c synchronous_commit=on", "start");
    }

    public void stop() {
        runAsOwner(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            // the JVM is going away; the cluster lives under the temp directory
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
            try (var versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                        .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql: run .ci/run or apt-get install postgresql"));
            }
        }
        throw new IllegalStateException("PostgreSQL binaries not found: set PG_BIN or apt-get install postgresql");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
