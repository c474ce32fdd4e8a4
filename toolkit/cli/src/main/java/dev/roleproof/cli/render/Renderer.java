package dev.roleproof.cli.render;

import dev.roleproof.check.Report;
import java.io.PrintWriter;

/** Writes a check report in one output format. Renderers only read the report. */
public interface Renderer {

    void render(Report report, PrintWriter out);
}
