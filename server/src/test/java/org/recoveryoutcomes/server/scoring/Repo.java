package org.recoveryoutcomes.server.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the tests read (golden responses, the conformance corpus, the oracle). */
final class Repo {

    private Repo() {
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("server")) ? here : here.getParent();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
