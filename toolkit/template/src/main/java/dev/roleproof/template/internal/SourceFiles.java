package dev.roleproof.template.internal;

import dev.roleproof.template.Limits;
import dev.roleproof.template.TemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the files the loader is given (templates, samconfig.toml) as UTF-8 text, within {@link Limits}. */
public final class SourceFiles {

    private SourceFiles() {}

    /**
     * The file's text. Only regular files: a named pipe without a writer would block the read forever and a device
     * such as /dev/zero never ends, so both are refused before they are opened.
     *
     * @param what "template" or "samconfig", for messages
     * @throws TemplateException one line naming the file and what is wrong
     */
    public static String read(Path file, String what, Limits limits) {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new TemplateException(name, 0, "cannot read " + what + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new TemplateException(name, 0, "cannot read " + what + ": it is a directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new TemplateException(
                    name, 0, "cannot read " + what + ": not a regular file (a pipe, device or socket); give a file");
        }
        long max = limits.maxTemplateBytes();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // At most one byte over the limit: the file may grow between the size check and the read.
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (NoSuchFileException e) {
            throw new TemplateException(name, 0, "cannot read " + what + ": no such file");
        } catch (AccessDeniedException e) {
            throw new TemplateException(name, 0, "cannot read " + what + ": permission denied");
        } catch (IOException e) {
            throw new TemplateException(
                    name,
                    0,
                    "cannot read " + what + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (bytes.length > max) {
            throw new TemplateException(
                    name,
                    0,
                    what + " is larger than " + Limits.number(max) + " bytes (limit maxTemplateBytes;"
                            + " CloudFormation accepts at most 1 MB)");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TemplateException(name, 0, "cannot read " + what + ": not UTF-8 text");
        }
    }
}
