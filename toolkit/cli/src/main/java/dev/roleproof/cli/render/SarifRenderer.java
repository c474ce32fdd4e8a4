package dev.roleproof.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Report;
import dev.roleproof.check.Severity;
import dev.roleproof.cli.BuildInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --format sarif}: SARIF 2.1.0 for code scanning. One run; tool.driver.rules lists every rule with its
 * description and default level; each finding is a result with ruleId, level, message (with the fix) and the
 * template's URI (relative to the working directory when inside it) and line.
 */
public final class SarifRenderer implements Renderer {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path base;

    public SarifRenderer(Path base) {
        this.base = base == null ? Path.of("").toAbsolutePath() : base.toAbsolutePath();
    }

    @Override
    public void render(Report report, PrintWriter out) {
        try {
            out.println(MAPPER.writeValueAsString(tree(report)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as SARIF", e);
        }
        out.flush();
    }

    Map<String, Object> tree(Report report) {
        List<Object> rules = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (CheckInfo r : report.rules()) {
            index.put(r.id(), rules.size());
            rules.add(obj(
                    "id",
                    r.id(),
                    "name",
                    r.id(),
                    "shortDescription",
                    obj("text", r.description()),
                    "fullDescription",
                    obj("text", r.description()),
                    "help",
                    obj("text", "Fix: " + r.fixTemplate()),
                    "defaultConfiguration",
                    obj("level", level(r.defaultSeverity()))));
        }
        List<Object> results = new ArrayList<>();
        for (Finding f : report.findings()) {
            Path file = f.file() != null ? f.file() : report.template();
            Map<String, Object> physical = new LinkedHashMap<>();
            physical.put("artifactLocation", obj("uri", uri(file)));
            if (f.line() > 0) {
                physical.put("region", obj("startLine", f.line()));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.rule());
            if (index.containsKey(f.rule())) {
                result.put("ruleIndex", index.get(f.rule()));
            }
            result.put("level", level(f.severity()));
            result.put("message", obj("text", f.message() + (f.fix().isEmpty() ? "" : " Fix: " + f.fix())));
            result.put(
                    "locations",
                    List.of(obj(
                            "physicalLocation",
                            physical,
                            "logicalLocations",
                            List.of(obj("name", f.resource(), "kind", "resource")))));
            result.put("properties", obj("resource", f.resource(), "fix", f.fix()));
            results.add(result);
        }
        Map<String, Object> driver = obj(
                "name",
                "RoleProof",
                "version",
                BuildInfo.properties().getProperty("version", "unknown"),
                "rules",
                rules);
        Map<String, Object> run = obj("tool", obj("driver", driver), "results", results);
        return obj("$schema", SCHEMA, "version", "2.1.0", "runs", List.of(run));
    }

    /** A relative URI with forward slashes when the file is under the base directory, else an absolute file URI. */
    String uri(Path file) {
        if (file == null) {
            return "template.yaml";
        }
        Path abs = file.toAbsolutePath().normalize();
        if (abs.startsWith(base)) {
            return base.relativize(abs).toString().replace('\\', '/');
        }
        return abs.toUri().toString();
    }

    static String level(Severity s) {
        return s.label();
    }

    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
