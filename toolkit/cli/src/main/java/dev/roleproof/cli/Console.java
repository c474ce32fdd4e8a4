package dev.roleproof.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The process's standard streams, injected so tests run commands in-process with captured streams. {@code in} and
 * {@code out} are raw byte streams for commands that stream data (eval); {@code outWriter} and {@code err} are the
 * writers picocli prints help and errors to.
 */
public record Console(InputStream in, OutputStream out, PrintWriter outWriter, PrintWriter err) {

    public static Console of(InputStream in, OutputStream out, OutputStream err) {
        return new Console(
                in,
                out,
                new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    }
}
