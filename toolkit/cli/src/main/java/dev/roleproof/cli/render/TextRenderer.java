package dev.roleproof.cli.render;

import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.check.Finding;
import dev.roleproof.check.PatternResult;
import dev.roleproof.check.Report;
import dev.roleproof.check.Severity;
import dev.roleproof.check.Verdict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Human text, grouped by pattern: each need with its verdict and the statement that decided it, then the findings
 * about that pattern's resources with their fixes; findings about nothing in particular last; a summary line.
 * ANSI colours only when asked (a terminal and no --no-color).
 */
public final class TextRenderer implements Renderer {

    private static final String RESET = "\u001b[0m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String DIM = "\u001b[2m";
    private static final String BOLD = "\u001b[1m";

    private final boolean color;

    public TextRenderer(boolean color) {
        this.color = color;
    }

    @Override
    public void render(Report report, PrintWriter out) {
        out.println(paint(
                BOLD,
                "roleproof check " + name(report.template())
                        + (report.target() != null ? " --target " + name(report.target()) : "")));
        // Findings by the resource they point at, so each pattern finds its own without rescanning them all.
        List<Finding> all = report.findings();
        Map<String, List<Integer>> byResource = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byResource
                    .computeIfAbsent(all.get(i).resource(), k -> new ArrayList<>())
                    .add(i);
        }
        boolean[] shown = new boolean[all.size()];
        for (PatternResult p : report.patterns()) {
            out.println();
            out.println(paint(BOLD, p.pattern() + "  " + p.function()) + "  "
                    + verdict(p.verdict()).trim());
            for (EvaluatedNeed e : p.checks()) {
                out.println("  " + verdict(e.verdict()) + " " + e.need().kind().id() + ": "
                        + MermaidRenderer.shortPrincipal(e.principal()) + " -> " + e.action() + " on " + e.resource());
                out.println(
                        "          " + paint(DIM, (e.verdict() == Verdict.PASS ? "allowed by " : "") + e.decidedBy()));
            }
            TreeSet<Integer> mine = new TreeSet<>(); // in report order
            for (String resource : p.resources()) {
                for (int i : byResource.getOrDefault(resource, List.of())) {
                    if (!shown[i]) {
                        mine.add(i);
                    }
                }
            }
            printFindings(mine.stream().map(all::get).toList(), report, out);
            mine.forEach(i -> shown[i] = true);
        }
        List<Finding> rest = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!shown[i]) {
                rest.add(all.get(i));
            }
        }
        if (!rest.isEmpty()) {
            out.println();
            out.println(paint(BOLD, "other findings"));
            printFindings(rest, report, out);
        }
        out.println();
        long pass = report.patterns().stream()
                .filter(p -> p.verdict() == Verdict.PASS)
                .count();
        out.println(report.patterns().size() + " pattern(s), " + pass + " passed; "
                + count(report, Severity.ERROR, RED, "error") + ", "
                + count(report, Severity.WARNING, YELLOW, "warning") + ", "
                + report.count(Severity.NOTE) + " note(s)");
        out.flush();
    }

    private void printFindings(List<Finding> findings, Report report, PrintWriter out) {
        for (Finding f : findings) {
            Path file = f.file() != null ? f.file() : report.template();
            out.println("  " + severity(f.severity()) + " [" + f.rule() + "] " + f.resource() + " (" + name(file)
                    + (f.line() > 0 ? ":" + f.line() : "") + ")");
            out.println("        " + f.message());
            if (!f.fix().isEmpty()) {
                out.println("        fix: " + f.fix());
            }
        }
    }

    private String count(Report r, Severity s, String colour, String word) {
        long n = r.count(s);
        String text = n + " " + word + (n == 1 ? "" : "s");
        return n > 0 ? paint(colour, text) : text;
    }

    private String verdict(Verdict v) {
        String text = String.format("%-7s", v.name());
        return switch (v) {
            case PASS -> paint(GREEN, text);
            case FAIL -> paint(RED, text);
            case WARN, UNKNOWN -> paint(YELLOW, text);
        };
    }

    private String severity(Severity s) {
        String text = String.format("%-7s", s.label());
        return switch (s) {
            case ERROR -> paint(RED, text);
            case WARNING -> paint(YELLOW, text);
            case NOTE -> paint(DIM, text);
        };
    }

    private String paint(String code, String text) {
        return color ? code + text + RESET : text;
    }

    private static String name(Path p) {
        return p == null ? "" : p.toString();
    }
}
