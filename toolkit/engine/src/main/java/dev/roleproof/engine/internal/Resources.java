package dev.roleproof.engine.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** The engine's own data files, read from its jar: the engine does no other I/O. */
public final class Resources {
    private Resources() {}

    /** The whole of a gzip resource of the engine jar as UTF-8 text. */
    public static String readGzip(String path) {
        try (InputStream raw = Resources.class.getResourceAsStream(path)) {
            if (raw == null) {
                throw new IllegalStateException("IAM data missing from the engine jar: " + path);
            }
            try (InputStream in = new GZIPInputStream(raw, 65536)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 21);
                in.transferTo(out);
                return out.toString(StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }
}
