package dev.roleproof.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The result of {@code roleproof local}: per pattern PASS, FAIL or INCONCLUSIVE (the self-check could not decide, e.g.
 * on a machine too busy for its calls to answer in time) with the self-check report the handler logged and
 * the observed least privilege, plus the break applied (if any) with what {@code roleproof check} says about it.
 * JSON: {"verdict", "patterns": [{"pattern", "function", "verdict", "selfCheck", "observed", "steps",
 * "failures"}], "break"?, "durationMillis"}.
 */
public record LocalReport(List<Pattern> patterns, Broken broken, long durationMillis) {

    public LocalReport {
        patterns = List.copyOf(patterns);
    }

    /** One pattern's outcome. {@code selfCheck} and {@code observed} are JSON objects (selfCheck may be null). */
    public record Pattern(
            String pattern,
            String function,
            String verdict,
            ObjectNode selfCheck,
            ObjectNode observed,
            List<String> steps,
            List<String> failures) {
        public Pattern {
            steps = List.copyOf(steps);
            failures = List.copyOf(failures);
        }

        public boolean passed() {
            return "PASS".equals(verdict);
        }
    }

    /** The break applied: what it shows, the fix, and roleproof check's findings on the same broken model. */
    public record Broken(String name, String pattern, String shows, String fix, List<String> check) {
        public Broken {
            check = List.copyOf(check);
        }
    }

    /** FAIL when a pattern failed; else INCONCLUSIVE when one could not be decided; else PASS. */
    public String verdict() {
        if (patterns.isEmpty() || patterns.stream().anyMatch(p -> "FAIL".equals(p.verdict()))) {
            return "FAIL";
        }
        return patterns.stream().allMatch(Pattern::passed) ? "PASS" : "INCONCLUSIVE";
    }

    /** 0 when every pattern passed, 1 when one failed, 2 when one could not be decided (the environment). */
    public int exitCode() {
        return switch (verdict()) {
            case "PASS" -> 0;
            case "INCONCLUSIVE" -> 2;
            default -> 1;
        };
    }

    /** Why the run is INCONCLUSIVE, in one line; null when it is not. */
    public String inconclusiveReason() {
        if (!"INCONCLUSIVE".equals(verdict())) {
            return null;
        }
        return patterns.stream()
                .filter(p -> !p.passed())
                .map(p -> p.pattern() + ": " + String.join("; ", p.failures()))
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
    }

    public ObjectNode toJsonNode() {
        ObjectNode root = PolicyJson.MAPPER.createObjectNode();
        root.put("verdict", verdict());
        ArrayNode list = root.putArray("patterns");
        for (Pattern p : patterns) {
            ObjectNode n = list.addObject();
            n.put("pattern", p.pattern());
            n.put("function", p.function());
            n.put("verdict", p.verdict());
            n.set("selfCheck", p.selfCheck() == null ? PolicyJson.MAPPER.nullNode() : p.selfCheck());
            n.set("observed", p.observed() == null ? PolicyJson.MAPPER.createObjectNode() : p.observed());
            ArrayNode steps = n.putArray("steps");
            p.steps().forEach(steps::add);
            ArrayNode failures = n.putArray("failures");
            p.failures().forEach(failures::add);
        }
        if (broken != null) {
            ObjectNode b = root.putObject("break");
            b.put("name", broken.name());
            b.put("pattern", broken.pattern());
            b.put("shows", broken.shows());
            b.put("fix", broken.fix());
            ArrayNode check = b.putArray("check");
            broken.check().forEach(check::add);
        }
        root.put("durationMillis", durationMillis);
        return root;
    }

    public String toJson() {
        try {
            return PolicyJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonNode());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The summary a person reads after the progress lines. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Pattern p : patterns) {
            sb.append('\n')
                    .append(p.verdict())
                    .append("  ")
                    .append(p.pattern())
                    .append("  (")
                    .append(p.function())
                    .append(")\n");
            for (String f : p.failures()) {
                sb.append("      failure: ").append(f).append('\n');
            }
            if (p.selfCheck() != null) {
                JsonNode s = p.selfCheck();
                sb.append("      self-check: ")
                        .append(s.path("verdict").asText())
                        .append(" as ")
                        .append(s.path("identity").asText("?"))
                        .append('\n');
                for (JsonNode probe : s.path("probes")) {
                    sb.append("        ")
                            .append(String.format(
                                    "%-6s %-9s %s on %s",
                                    probe.path("expected").asText(),
                                    probe.path("observed").asText(),
                                    probe.path("action").asText(),
                                    probe.path("resource").asText()));
                    String hint = probe.path("hint").asText("");
                    boolean mismatch = "ALLOWED".equals(probe.path("observed").asText())
                            != "ALLOW".equals(probe.path("expected").asText());
                    if (!hint.isEmpty() && mismatch) {
                        sb.append("  -- ").append(hint);
                    }
                    sb.append('\n');
                }
            } else {
                sb.append("      self-check: no report (the function was never invoked)\n");
            }
            appendObserved(sb, p.observed(), "      ");
        }
        if (broken != null) {
            sb.append("\nbreak ")
                    .append(broken.name())
                    .append(": ")
                    .append(broken.shows())
                    .append('\n');
            sb.append("  fix: ").append(broken.fix()).append('\n');
            sb.append("  roleproof check on the same broken templates:\n");
            if (broken.check().isEmpty()) {
                sb.append("    (no finding for this pattern)\n");
            }
            broken.check().forEach(c -> sb.append("    ").append(c).append('\n'));
        }
        long passed = patterns.stream().filter(Pattern::passed).count();
        sb.append('\n')
                .append(verdict())
                .append(": ")
                .append(passed)
                .append(" of ")
                .append(patterns.size())
                .append(" patterns passed in ")
                .append(String.format("%.1f", durationMillis / 1000.0))
                .append(" s\n");
        return sb.toString();
    }

    private static void appendObserved(StringBuilder sb, ObjectNode observed, String indent) {
        if (observed == null || !observed.has("role")) {
            return;
        }
        sb.append(indent)
                .append("observed for ")
                .append(observed.path("role").asText())
                .append(": ")
                .append(observed.path("calls").asInt())
                .append(" calls\n");
        for (JsonNode s : observed.path("minimalPolicy").path("Statement")) {
            sb.append(indent)
                    .append("  needed  ")
                    .append(join(s.path("Action")))
                    .append(" on ")
                    .append(s.path("Resource").asText())
                    .append('\n');
        }
        for (JsonNode u : observed.path("grantedUnused")) {
            sb.append(indent)
                    .append("  unused  ")
                    .append(u.path("action").asText())
                    .append(" on ")
                    .append(u.path("resource").asText());
            if (u.has("note")) {
                sb.append("  (").append(u.path("note").asText()).append(')');
            }
            sb.append('\n');
        }
        for (JsonNode d : observed.path("usedDenied")) {
            sb.append(indent)
                    .append("  denied  ")
                    .append(d.path("action").asText())
                    .append(" on ")
                    .append(d.path("resource").asText())
                    .append(d.path("expected").asBoolean() ? "  (expected: a forbidden probe)" : "")
                    .append('\n');
        }
        for (JsonNode nested : observed.path("assumedRoles")) {
            appendObserved(sb, (ObjectNode) nested, indent + "  ");
        }
    }

    private static String join(JsonNode array) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode a : array) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.asText());
        }
        return sb.toString();
    }
}
