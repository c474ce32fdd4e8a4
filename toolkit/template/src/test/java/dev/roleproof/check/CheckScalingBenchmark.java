package dev.roleproof.check;

import dev.roleproof.template.LoadOptions;
import dev.roleproof.template.TemplateLoader;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Prints figures, asserts nothing about speed: load + check of {@link SqsFunctionsTemplate} with 500 and with 5,000
 * functions in this JVM, and the ratio (goal: at most 20x for 10x the functions, i.e. linear up to noise; issue 17
 * measured 65 s for 500 and over 600 s for 5,000 before). Run:
 * {@code ./mvnw -B -pl toolkit/template -am test -Dtest=CheckScalingBenchmark -Droleproof.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CheckScalingBenchmark {

    @Test
    void fiveHundredVersusFiveThousandFunctions() {
        Assumptions.assumeTrue(Boolean.getBoolean("roleproof.bench"), "benchmark: run with -Droleproof.bench=true");
        String small = SqsFunctionsTemplate.of(500);
        String large = SqsFunctionsTemplate.of(5_000);
        once(small); // class loading and JIT warm-up, untimed
        double smallSeconds = median(small, 3);
        double largeSeconds = median(large, 1);
        Runtime rt = Runtime.getRuntime();
        System.out.printf(
                "check scaling: 500 functions %.2f s, 5,000 functions %.2f s, ratio %.1fx (goal <= 20x);"
                        + " heap in use after %d MB of max %d MB%n",
                smallSeconds,
                largeSeconds,
                largeSeconds / smallSeconds,
                (rt.totalMemory() - rt.freeMemory()) >> 20,
                rt.maxMemory() >> 20);
    }

    private static double median(String text, int runs) {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            once(text);
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    private static Report once(String text) {
        return Checker.create()
                .check(TemplateLoader.load("sqs.yaml", text, Path.of("sqs.yaml"), LoadOptions.defaults()), null);
    }
}
