package dev.roleproof.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The three exit codes every RoleProof command uses; listed in {@code --help}. */
public enum ExitCode {
    OK(0, "Success: no error findings, every pattern held."),
    FINDINGS(1, "Error findings, or a pattern that failed."),
    UNUSABLE(2, "Unusable input or environment (bad option, unreadable file, missing tool).");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** picocli's exit-code list for the usage help, in code order. */
    static Map<String, String> usageList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode c : values()) {
            list.put(String.format("%3d", c.code), c.description);
        }
        return list;
    }
}
