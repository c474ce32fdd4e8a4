package dev.roleproof.template;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's own files are: -Droleproof.root, else the first parent of the working dir with template.yaml and toolkit/. */
final class RepoPaths {

    private RepoPaths() {}

    static Path root() {
        String prop = System.getProperty("roleproof.root");
        if (prop != null) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("toolkit"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException(
                "cannot find the repository root above " + Path.of("").toAbsolutePath());
    }

    static Path testResource(String relative) {
        Path module = Path.of("").toAbsolutePath();
        return module.resolve("src/test/resources").resolve(relative);
    }
}
