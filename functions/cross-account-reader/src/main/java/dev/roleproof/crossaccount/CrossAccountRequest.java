package dev.roleproof.crossaccount;

import java.util.Map;

/**
 * The reader's input: {@code {"table"?: "roleproof-reports", "key": {"pk": "report-2026-11"}}}. A mutable bean, as the
 * Lambda Java runtime fills a handler's input type through its setters. {@code {"roleproof": "self-check"}} asks for
 * the self-check's report instead of a read.
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

    public String getRoleproof() {
        return roleproof;
    }

    public void setRoleproof(String roleproof) {
        this.roleproof = roleproof;
    }
}
