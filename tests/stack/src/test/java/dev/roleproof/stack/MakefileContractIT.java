package dev.roleproof.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.lang3.reflect.TypeUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sam build}, for real, on a scratch copy of the project: SAM runs {@code make build-<LogicalId>} for each
 * function (Metadata.BuildMethod: makefile; samconfig.toml builds in source). Then what SAM produced in .aws-sam/build
 * is checked as the java21 runtime would use it: the template's Handler class and method load from classes + lib/,
 * and the events/ files deserialize into the handler's input type as the Java runtime reads them.
 * ({@code sam local invoke} itself needs a Docker engine, which no machine here runs.)
 */
class MakefileContractIT {

    /** Function logical id -> its events/ file. */
    static final Map<String, String> FUNCTIONS = new TreeMap<>(Map.of(
            "SqsConsumerFunction", "sqs-consumer.json",
            "DdbStreamProcessorFunction", "ddb-stream-processor.json",
            "S3ObjectProcessorFunction", "s3-object-processor.json",
            "CrossAccountReaderFunction", "cross-account-reader.json"));
    /** What a fresh clone does not have: build output, the tools' environments, IDE files. */
    static final Set<String> NOT_COPIED = Set.of(".git", "target", ".aws-sam", "node_modules", ".idea", ".venv");

    static final int JAVA_17_CLASS_FILE = 61;

    @TempDir
    static Path scratch;

    static Path project;
    static Tools.Result samBuild;

    @BeforeAll
    static void samBuildsTheProject() throws IOException {
        Path sam = Tools.require("sam");
        Tools.require("make");
        project = scratch.resolve("project");
        Path root = Tools.root();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root) && NOT_COPIED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(project.resolve(root.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, project.resolve(root.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
        Map<String, String> env = new java.util.HashMap<>(Map.of("SAM_CLI_TELEMETRY", "0"));
        if (offlineIsPossible()) {
            env.put("MVN_FLAGS", "-o");
        }
        long start = System.nanoTime();
        samBuild = Tools.run(List.of(sam.toString(), "build"), project, env, Duration.ofMinutes(15));
        System.out.printf(
                "sam build (%s): exit %d in %.0f s%n", sam, samBuild.exitCode(), (System.nanoTime() - start) / 1e9);
    }

    @Test
    void samBuildSucceedsForEveryFunction() {
        assertThat(samBuild.exitCode()).as(samBuild.both()).isZero();
        assertThat(samBuild.both()).contains("Build Succeeded");
        for (String id : FUNCTIONS.keySet()) {
            assertThat(samBuild.both()).contains(id + ": Running CustomMakeBuilder:MakeBuild");
            assertThat(project.resolve(".aws-sam/build").resolve(id)).isDirectory();
        }
    }

    static Stream<String> functionIds() {
        return FUNCTIONS.keySet().stream();
    }

    @Test
    void theTemplatesFunctionsAreTheOnesBuiltHere() {
        assertThat(Templates.resources(Templates.accountA(), "AWS::Lambda::Function")
                        .keySet())
                .containsExactlyInAnyOrderElementsOf(FUNCTIONS.keySet());
    }

    @ParameterizedTest
    @MethodSource("functionIds")
    void samBuiltAnArtifactInWhichTheHandlerLoadsAndTheEventsDeserialize(String functionId) throws Exception {
        assertThat(samBuild.exitCode()).as(samBuild.both()).isZero();
        Path artifacts = project.resolve(".aws-sam/build").resolve(functionId);
        List<Path> jars;
        try (Stream<Path> lib = Files.list(artifacts.resolve("lib"))) {
            jars = lib.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        assertThat(jars).isNotEmpty();
        // One small HTTP client per function: the SDK's apache and netty clients stay out of the package.
        assertThat(jars)
                .extracting(p -> p.getFileName().toString())
                .anyMatch(n -> n.startsWith("url-connection-client-"))
                .noneMatch(n -> n.startsWith("apache-client-")
                        || n.startsWith("apache5-client-")
                        || n.startsWith("netty-nio-client-"));

        String handler = Templates.accountA()
                .path("Resources")
                .path(functionId)
                .path("Properties")
                .path("Handler")
                .asText();
        String className = handler.substring(0, handler.indexOf("::"));
        String methodName = handler.substring(handler.indexOf("::") + 2);
        assertThat(classFileVersion(artifacts.resolve(className.replace('.', '/') + ".class")))
                .as("Java 17 bytecode")
                .isEqualTo(JAVA_17_CLASS_FILE);

        try (URLClassLoader loader = new URLClassLoader(urls(artifacts, jars), ClassLoader.getPlatformClassLoader())) {
            Class<?> handlerClass = Class.forName(className, false, loader);
            Class<?> requestHandler =
                    Class.forName("com.amazonaws.services.lambda.runtime.RequestHandler", false, loader);
            Class<?> streamHandler =
                    Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, loader);
            assertThat(handlerClass.getConstructor())
                    .as("public no-arg constructor")
                    .isNotNull();
            Path events = Tools.root().resolve("events");
            assertThat(streamHandler.isAssignableFrom(handlerClass))
                    .as(className + " is a RequestHandler: the Java runtime reads its events")
                    .isFalse();
            assertThat(requestHandler.isAssignableFrom(handlerClass))
                    .as(className + " is a RequestHandler")
                    .isTrue();
            assertThat(Stream.of(handlerClass.getMethods())
                            .anyMatch(m -> m.getName().equals(methodName) && m.getParameterCount() == 2))
                    .as(handler + ": no such method")
                    .isTrue();
            // The input type as the Java runtime finds it: RequestHandler's first type argument, resolved through the
            // generic superclass that adds the self-check (aws-lambda-java-runtime-interface-client,
            // EventHandlerLoader.findInterfaceParameters).
            Map<TypeVariable<?>, Type> arguments = TypeUtils.getTypeArguments(handlerClass, requestHandler);
            Type input = arguments.get(requestHandler.getTypeParameters()[0]);
            assertThat(input).as(className + "'s input type").isInstanceOf(Class.class);
            Class<?> inputType = (Class<?>) input;

            Object event = deserialize(inputType, loader, events.resolve(FUNCTIONS.get(functionId)));
            Object selfCheck = deserialize(inputType, loader, events.resolve("self-check.json"));
            assertRead(inputType, event, selfCheck);
        }
    }

    /** The events/ file has three records (or the reader's key); self-check.json has none (or says self-check). */
    private static void assertRead(Class<?> type, Object event, Object selfCheck) throws Exception {
        assertThat(event).isNotNull();
        assertThat(selfCheck).isNotNull();
        if (hasRecords(type)) {
            assertThat((List<?>) type.getMethod("getRecords").invoke(event)).hasSize(3);
            Object none = type.getMethod("getRecords").invoke(selfCheck);
            assertThat(none == null || ((List<?>) none).isEmpty())
                    .as("self-check.json has no Records")
                    .isTrue();
        } else {
            assertThat(type.getMethod("getKey").invoke(event)).isEqualTo(Map.of("pk", "report-2026-11"));
            assertThat(type.getMethod("getRoleproof").invoke(selfCheck)).isEqualTo("self-check");
        }
    }

    /** The way the Java runtime reads the request: its own serializers for AWS events, Jackson for a POJO. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object deserialize(Class<?> type, ClassLoader loader, Path json) throws IOException {
        PojoSerializer serializer = LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, loader)
                : JacksonFactory.getInstance().getSerializer(type);
        try (InputStream in = Files.newInputStream(json)) {
            return serializer.fromJson(in);
        }
    }

    private static boolean hasRecords(Class<?> type) {
        return Stream.of(type.getMethods()).anyMatch(m -> m.getName().equals("getRecords"));
    }

    private static URL[] urls(Path classes, List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(classes.toUri().toURL());
            for (Path jar : jars) {
                urls.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
        return urls.toArray(URL[]::new);
    }

    private static int classFileVersion(Path classFile) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(classFile))) {
            in.readInt(); // 0xCAFEBABE
            in.readUnsignedShort(); // minor
            return in.readUnsignedShort();
        }
    }

    /**
     * -o (offline, reusing ~/.m2) when the build before this one has already fetched what make's `clean package`
     * needs; `verify` alone never runs the clean plugin, so on a fresh machine the first make may need the network.
     */
    private static boolean offlineIsPossible() {
        String local = System.getProperty("maven.repo.local");
        Path repository =
                local != null ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return Files.isDirectory(repository.resolve("org/apache/maven/plugins/maven-clean-plugin"));
    }
}
