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

    /** Which bucket file holds a key: CRC-32 of its UTF-8 bytes modulo the number of buckets (as generate.py). */
    public static int bucket(String key, int buckets) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % buckets);
    }

    /** The lines of a bucket file ("key<TAB>value"), as key to value. */
    public static java.util.Map<String, String> readBucket(String stem, int bucket) {
        return tabLines(readGzip(String.format("%s-%02d.gz", stem, bucket)), 0, new java.util.HashMap<>());
    }

    /** Adds the lines of {@code text} from {@code from} on, "key<TAB>value", to {@code out} and returns it. */
    public static <M extends java.util.Map<String, String>> M tabLines(String text, int from, M out) {
        int at = from;
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            if (end < 0) {
                end = text.length();
            }
            int tab = text.indexOf('\t', at);
            if (tab > at && tab < end) {
                out.put(text.substring(at, tab), text.substring(tab + 1, end));
            }
            at = end + 1;
        }
        return out;
    }

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
