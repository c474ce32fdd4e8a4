package dev.roleproof.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.check.Finding;
import dev.roleproof.check.PatternResult;
import dev.roleproof.check.Report;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --format json}: exactly {"patterns": [{"function", "pattern", "verdict", "checks": [...]}], "findings":
 * [{"rule", "severity", "resource", "message", "fix", "line"}]}. Each check is {"need", "description", "principal",
 * "action", "resource", "verdict", "decidedBy", "fix"}.
 */
public final class JsonRenderer implements Renderer {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void render(Report report, PrintWriter out) {
        try {
            out.println(MAPPER.writeValueAsString(tree(report)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
        out.flush();
    }

    static Map<String, Object> tree(Report report) {
        List<Object> patterns = new ArrayList<>();
        for (PatternResult p : report.patterns()) {
            List<Object> checks = new ArrayList<>();
            for (EvaluatedNeed e : p.checks()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("need", e.need().kind().id());
                c.put("description", e.need().description());
                c.put("principal", e.principal());
                c.put("action", e.action());
                c.put("resource", e.resource());
                c.put("verdict", e.verdict().name());
                c.put("decidedBy", e.decidedBy());
                c.put("fix", e.fix());
                checks.add(c);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("function", p.function());
            m.put("pattern", p.pattern());
            m.put("verdict", p.verdict().name());
            m.put("checks", checks);
            patterns.add(m);
        }
        List<Object> findings = new ArrayList<>();
        for (Finding f : report.findings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", f.rule());
            m.put("severity", f.severity().label());
            m.put("resource", f.resource());
            m.put("message", f.message());
            m.put("fix", f.fix());
            m.put("line", f.line());
            findings.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("patterns", patterns);
        root.put("findings", findings);
        return root;
    }
}
