package dev.roleproof.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The runtime's own classpath entries for a function's JVM, like /var/runtime/lib in Lambda: this package's
 * runtime main, aws-lambda-java-core and aws-lambda-java-serialization, and nothing else of the toolkit (no SDK,
 * no Jackson), so a function that forgot a dependency fails here as it would in Lambda.
 *
 * <p>From a Maven build these are the jars (or classes/ directory) themselves. From the shaded roleproof.jar they are
 * merged into one jar with the whole toolkit, so the runtime's packages are extracted once into a temporary
 * directory.
 */
final class RuntimeClasspath {

    /** What the runtime needs from a shaded jar; events are the function's own (it ships aws-lambda-java-events). */
    private static final List<String> PREFIXES = List.of(
            "dev/roleproof/local/runtime/",
            "com/amazonaws/services/lambda/runtime/",
            "com/amazonaws/lambda/thirdparty/",
            "META-INF/versions/");

    private static final String EVENTS = "com/amazonaws/services/lambda/runtime/events/";

    private static List<String> entries;

    private RuntimeClasspath() {}

    static synchronized List<String> entries() {
        if (entries == null) {
            entries = compute();
        }
        return entries;
    }

    private static List<String> compute() {
        Set<Path> sources = new LinkedHashSet<>();
        for (Class<?> c : List.of(LocalRuntimeMain.class, Context.class, LambdaEventSerializers.class)) {
            sources.add(location(c));
        }
        boolean shaded = sources.size() < 3
                && sources.stream().anyMatch(p -> p.toString().endsWith(".jar"));
        if (!shaded) {
            List<String> out = new ArrayList<>();
            sources.forEach(p -> out.add(p.toString()));
            return out;
        }
        try {
            Path dir = Files.createTempDirectory("roleproof-runtime");
            // Before extracting: a Ctrl-C during the extraction leaves nothing behind either.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "roleproof-runtime-cleanup"));
            for (Path jar : sources) {
                if (Files.isDirectory(jar)) {
                    continue;
                }
                extract(jar, dir);
            }
            List<String> out = new ArrayList<>();
            out.add(dir.toString());
            sources.stream().filter(Files::isDirectory).forEach(p -> out.add(p.toString()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the local Lambda runtime: " + e.getMessage(), e);
        }
    }

    private static void extract(Path jar, Path dir) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> all = file.entries();
            while (all.hasMoreElements()) {
                JarEntry e = all.nextElement();
                String name = e.getName();
                if (e.isDirectory()
                        || name.startsWith(EVENTS)
                        || PREFIXES.stream().noneMatch(name::startsWith)
                        || (name.startsWith("META-INF/versions/")
                                && !name.contains("/com/amazonaws/lambda/thirdparty/"))) {
                    continue;
                }
                Path target = dir.resolve(name).normalize();
                if (!target.startsWith(dir)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(e)) {
                    Files.copy(in, target);
                }
            }
        }
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temporary directory.
        }
    }
}
