package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.testing.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * RoleProof's SAM expansion against samtranslator's own (the real part, python3 on this machine): on the repository's
 * templates and the sam-variants corpus, both results go through the same resolver and model, and must give the same
 * IAM statements per role, the same permissions (principal, SourceArn, SourceAccount), the same mappings and the
 * same S3 notifications. samtranslator runs once, in one python process, for the whole corpus.
 */
class SamTranslatorComparisonIT {

    @TempDir
    static Path out;

    private static final List<Path> TEMPLATES = new ArrayList<>();

    @BeforeAll
    static void transformAll() throws IOException, InterruptedException {
        Path root = RepoPaths.root();
        TEMPLATES.add(root.resolve("template.yaml"));
        TEMPLATES.add(root.resolve("target-account/template.yaml"));
        try (Stream<Path> s = Files.list(RepoPaths.testResource("templates/sam-variants"))) {
            s.sorted().forEach(TEMPLATES::add);
        }
        // The project's pinned Python (tools/ensure), which has aws-sam-translator and moto.
        String python = RequiredTool.require("python").toString();
        List<String> cmd = new ArrayList<>(List.of(
                python, RepoPaths.root().resolve("tools/sam_transform.py").toString(), "--out", out.toString()));
        TEMPLATES.forEach(t -> cmd.add(t.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as("samtranslator finished")
                .isTrue();
        assertThat(p.exitValue()).as("sam_transform.py: " + log).isZero();
    }

    @TestFactory
    Stream<DynamicTest> sameExpansionAsSamtranslator() {
        assertThat(TEMPLATES.size()).isGreaterThanOrEqualTo(12);
        return java.util.stream.IntStream.range(0, TEMPLATES.size()).mapToObj(i -> {
            Path template = TEMPLATES.get(i);
            return DynamicTest.dynamicTest(template.getParent().getFileName() + "/" + template.getFileName(), () -> {
                Path transformed = out.resolve(i + ".json");
                String json = Files.readString(transformed);
                assertThat(json).as("samtranslator's result").doesNotStartWith("{\"error\"");
                LoadOptions options = LoadOptions.defaults();
                SamTemplate ours = TemplateLoader.load(template, options);
                SamTemplate theirs = TemplateLoader.load(transformed, options);
                List<String> a = ExpansionDigest.of(ours);
                List<String> b = ExpansionDigest.of(theirs);
                TreeSet<String> onlyOurs = new TreeSet<>(a);
                onlyOurs.removeAll(b);
                TreeSet<String> onlyTheirs = new TreeSet<>(b);
                onlyTheirs.removeAll(a);
                assertThat(onlyOurs)
                        .as("only in RoleProof's expansion (samtranslator has %s)", onlyTheirs)
                        .isEmpty();
                assertThat(onlyTheirs).as("only in samtranslator's expansion").isEmpty();
                // Something was compared: at least one role (account B's template has no function).
                assertThat(a).anyMatch(l -> l.startsWith("role "));
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> theComparisonSeesADifference() {
        // The digest is not blind: dropping one managed policy from samtranslator's output must show.
        return Stream.of(DynamicTest.dynamicTest("mutated samtranslator output differs", () -> {
            int index = indexOf("v04-sqs-event-dlq-tracing.yaml");
            String json = Files.readString(out.resolve(index + ".json"));
            String mutated = json.replace(
                    "\"arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole\"",
                    "\"arn:aws:iam::aws:policy/AmazonSQSFullAccess\"");
            assertThat(mutated).isNotEqualTo(json);
            Path file = out.resolve("mutated.json");
            Files.writeString(file, mutated);
            List<String> ours = ExpansionDigest.of(TemplateLoader.load(TEMPLATES.get(index), LoadOptions.defaults()));
            List<String> theirs = ExpansionDigest.of(TemplateLoader.load(file, LoadOptions.defaults()));
            assertThat(ours).isNotEqualTo(theirs);
        }));
    }

    private static int indexOf(String name) {
        for (int i = 0; i < TEMPLATES.size(); i++) {
            if (TEMPLATES.get(i).getFileName().toString().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name + " is not in the corpus");
    }
}
