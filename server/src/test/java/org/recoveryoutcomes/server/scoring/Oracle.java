package org.recoveryoutcomes.server.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The independent reference: conformance/oracle/fill.js (random responses) and oracle.js (their scores by
 * fhirpath.js), run with node as child processes. Needs conformance/oracle/node_modules (npm ci, done by the Maven
 * build of the questionnaires module).
 */
final class Oracle {

    private static final Path DIR = Repo.path("conformance/oracle");

    private Oracle() {
    }

    /** A random completed response to the Questionnaire (deterministic per seed). */
    static String fill(Path questionnaire, String seed, List<Path> context) {
        List<String> args = new ArrayList<>(List.of(DIR.resolve("fill.js").toString(), questionnaire.toString(), seed));
        context.forEach(c -> args.add(c.toString()));
        return node(args);
    }

    /** The oracle's scores of a response: JSON object linkId -> value (null when none). */
    static String score(Path questionnaire, String response, List<Path> context) {
        try {
            Path file = Files.createTempFile("oracle-qr-", ".json");
            try {
                Files.writeString(file, response);
                List<String> args = new ArrayList<>(List.of(DIR.resolve("oracle.js").toString(), questionnaire.toString(), file.toString()));
                context.forEach(c -> args.add(c.toString()));
                return node(args);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String node(List<String> args) {
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("node " + String.join(" ", args) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
