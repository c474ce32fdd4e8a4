package dev.roleproof.check;

import dev.roleproof.template.LoadOptions;
import dev.roleproof.template.SamTemplate;
import dev.roleproof.template.TemplateLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's templates and loads them the way `roleproof check` does by default. */
final class CheckFixtures {

    private CheckFixtures() {}

    /** The repository root: the first ancestor of the working directory holding template.yaml and toolkit/. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("toolkit"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException(
                "cannot find the repository root from " + Path.of("").toAbsolutePath());
    }

    static Path referenceA() {
        return root().resolve("template.yaml");
    }

    static Path referenceB() {
        return root().resolve("target-account/template.yaml");
    }

    static SamTemplate loadA(Path file) {
        return TemplateLoader.load(file, LoadOptions.defaults());
    }

    static SamTemplate loadB(Path file) {
        return TemplateLoader.load(file, LoadOptions.defaults().withAccount("222222222222"));
    }
}
