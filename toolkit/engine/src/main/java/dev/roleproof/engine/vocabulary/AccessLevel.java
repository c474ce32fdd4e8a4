package dev.roleproof.engine.vocabulary;

/**
 * An action's access level as the Service Authorization Reference and IAM's policy summaries name it, from the least
 * to the most sensitive.
 */
public enum AccessLevel {
    LIST("List"),
    READ("Read"),
    TAGGING("Tagging"),
    WRITE("Write"),
    PERMISSIONS_MANAGEMENT("Permissions management");

    private final String label;

    AccessLevel(String label) {
        this.label = label;
    }

    /** As AWS writes it, e.g. "Permissions management". */
    public String label() {
        return label;
    }

    static AccessLevel ofCode(String code) {
        switch (code) {
            case "L":
                return LIST;
            case "R":
                return READ;
            case "T":
                return TAGGING;
            case "P":
                return PERMISSIONS_MANAGEMENT;
            case "W":
                return WRITE;
            default:
                throw new IllegalStateException("Unknown access level code '" + code + "' in the IAM data");
        }
    }
}
