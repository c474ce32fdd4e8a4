package dev.roleproof.cli.render;

import dev.roleproof.cli.Format;
import java.nio.file.Path;

/** The renderer for a --format, by name (as PMD's RendererFactory). */
public final class Renderers {

    private Renderers() {}

    /**
     * @param color ANSI colours (text only): the caller decides (a terminal and no --no-color)
     * @param base directory that SARIF URIs are made relative to (the working directory)
     */
    public static Renderer forFormat(Format format, boolean color, Path base) {
        return switch (format) {
            case text -> new TextRenderer(color);
            case json -> new JsonRenderer();
            case sarif -> new SarifRenderer(base);
            case mermaid -> new MermaidRenderer();
        };
    }
}
