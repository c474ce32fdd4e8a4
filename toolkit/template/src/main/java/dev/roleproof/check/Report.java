package dev.roleproof.check;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code roleproof check} found, immutable: per pattern the judged needs, the findings (needs that failed and
 * lints), and the metadata of every rule that can produce a finding (for SARIF's rule list).
 *
 * @param template the main template; @param target account B's template with --target, else null
 */
public record Report(
        Path template, Path target, List<PatternResult> patterns, List<Finding> findings, List<CheckInfo> rules) {

    public Report {
        patterns = List.copyOf(patterns);
        findings = findings.stream()
                .sorted(Comparator.comparing(Finding::severity)
                        .thenComparing(f -> String.valueOf(f.file()))
                        .thenComparingInt(Finding::line)
                        .thenComparing(Finding::rule))
                .toList();
        rules = List.copyOf(rules);
    }

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    /** True when some finding is at least {@code threshold} (exit 1 for the CLI). */
    public boolean hasFindingsAtLeast(Severity threshold) {
        return findings.stream().anyMatch(f -> f.severity().atLeast(threshold));
    }

    /** Findings whose resource is {@code logicalId}. */
    public List<Finding> findingsAt(String logicalId) {
        return findings.stream().filter(f -> logicalId.equals(f.resource())).toList();
    }
}
