package dev.roleproof.crossaccount;

import java.util.Map;

/**
 * The reader's input: {@code {"table"?: "roleproof-reports", "key": {"pk": "report-2026-11"}, "roleproof"?:
 * "self-check"}}. A mutable bean because the Lambda Java runtime fills the handler's input type through setters.
 */
public class CrossAccountRequest {

    private String table;
    private Map<String, String> key;
    private String roleproof;

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    /** The item's key attributes, all strings (the reports table's key is the string {@code pk}). */
    public Map<String, String> getKey() {
        return key;
    }

    public void setKey(Map<String, String> key) {
        this.key = key;
    }

    /** {@code "self-check"} asks for the self-check report instead of a read. */
    public String getRoleproof() {
        return roleproof;
    }

    public void setRoleproof(String roleproof) {
        this.roleproof = roleproof;
    }

    boolean isSelfCheck() {
        return "self-check".equals(roleproof);
    }
}
