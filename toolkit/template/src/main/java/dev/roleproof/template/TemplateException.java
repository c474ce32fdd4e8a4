package dev.roleproof.template;

/**
 * An unusable template. {@link #getMessage()} is one line, "file:line: what is wrong", fit for stderr as is.
 */
public class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String problem;

    public TemplateException(String file, int line, String problem) {
        super(format(file, line, problem));
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public TemplateException(String file, int line, String problem, Throwable cause) {
        super(format(file, line, problem), cause);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    private static String format(String file, int line, String problem) {
        String oneLine = problem.replaceAll("\\s*\\R\\s*", " ").trim();
        return line > 0 ? file + ":" + line + ": " + oneLine : file + ": " + oneLine;
    }

    /** The file name as given (no directories added). */
    public String file() {
        return file;
    }

    /** 1-based line, or 0 when the problem concerns the whole file. */
    public int line() {
        return line;
    }

    /** The message without "file:line: ". */
    public String problem() {
        return problem;
    }
}
