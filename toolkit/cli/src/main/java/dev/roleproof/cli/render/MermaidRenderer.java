package dev.roleproof.cli.render;

import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.check.PatternResult;
import dev.roleproof.check.Report;
import dev.roleproof.check.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --format mermaid}: Markdown with one flowchart per pattern, who -> which policy -> what: the principal (the
 * execution role's session, Lambda, a pushing service), the policy statement that decided (or the denial), and the
 * resource, with the actions on the edge. Denied edges are dotted and marked. Paste into a README or a pull request.
 */
public final class MermaidRenderer implements Renderer {

    @Override
    public void render(Report report, PrintWriter out) {
        boolean first = true;
        for (PatternResult p : report.patterns()) {
            if (!first) {
                out.println();
            }
            first = false;
            out.println("### " + p.pattern() + ": " + p.function() + " ("
                    + p.verdict().name() + ")");
            out.println();
            out.println("```mermaid");
            out.println("flowchart LR");
            Map<String, String> nodes = new LinkedHashMap<>();
            // One edge per (who, policy, what), listing its actions.
            Map<String, List<String>> edges = new LinkedHashMap<>();
            Map<String, Boolean> denied = new LinkedHashMap<>();
            for (EvaluatedNeed e : p.checks()) {
                String who = node(nodes, "who:" + e.principal(), shortPrincipal(e.principal()), "([", "])");
                String policy = node(nodes, "policy:" + e.decidedBy(), shortPolicy(e), "[", "]");
                String what = node(nodes, "what:" + e.resource(), shortResource(e.resource()), "[(", ")]");
                String key = who + " " + policy + " " + what;
                List<String> actions = edges.computeIfAbsent(key, k -> new ArrayList<>());
                if (!actions.contains(e.action())) {
                    actions.add(e.action());
                }
                denied.merge(key, e.verdict() != Verdict.PASS, Boolean::logicalOr);
            }
            nodes.forEach((k, decl) -> out.println("  " + decl));
            int i = 0;
            List<Integer> red = new ArrayList<>();
            for (Map.Entry<String, List<String>> edge : edges.entrySet()) {
                String[] parts = edge.getKey().split(" ");
                String label = escape(String.join(", ", edge.getValue()));
                boolean no = denied.get(edge.getKey());
                out.println("  " + parts[0] + " --> " + parts[1]
                        + (no ? " -. \"DENIED " + label + "\" .-> " : " -- \"" + label + "\" --> ") + parts[2]);
                // Two links per edge (who->policy, policy->what).
                if (no) {
                    red.add(i);
                    red.add(i + 1);
                }
                i += 2;
            }
            for (int r : red) {
                out.println("  linkStyle " + r + " stroke:#d00,stroke-width:2px");
            }
            out.println("```");
        }
        out.flush();
    }

    private static String node(Map<String, String> nodes, String key, String label, String open, String close) {
        String existing = nodes.get(key);
        if (existing != null) {
            return existing.substring(0, existing.indexOf(open));
        }
        String id = "n" + nodes.size();
        nodes.put(key, id + open + "\"" + escape(label) + "\"" + close);
        return id;
    }

    static String shortPrincipal(String principal) {
        int i = principal.indexOf(":assumed-role/");
        if (i >= 0) {
            String rest = principal.substring(i + ":assumed-role/".length());
            String account = principal.split(":")[4];
            return "role " + rest.substring(0, rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/')) + " ("
                    + account + ")";
        }
        return principal;
    }

    private static String shortPolicy(EvaluatedNeed e) {
        String d = e.decidedBy();
        return e.verdict() == Verdict.PASS ? d : "no grant: " + d;
    }

    static String shortResource(String arn) {
        if (arn == null || "*".equals(arn)) {
            return "*";
        }
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) {
            return arn;
        }
        String service = parts[2];
        String rest = parts[5];
        if (service.equals("logs")) {
            int stream = rest.indexOf(":log-stream:");
            return "logs " + (stream > 0 ? rest.substring("log-group:".length(), stream) : rest);
        }
        return service + " " + rest;
    }

    /** Mermaid labels are quoted: replace what would end or confuse them. */
    static String escape(String s) {
        return s.replace("\"", "#quot;")
                .replace("[", "#91;")
                .replace("]", "#93;")
                .replace("<", "#lt;")
                .replace(">", "#gt;");
    }
}
