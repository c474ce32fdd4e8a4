package dev.roleproof.engine;

/** The policy types AWS evaluates, with the phrases its access-denied messages use for them. */
public enum PolicyType {
    SCP("service control policy", "a"),
    RCP("resource control policy", "a"),
    IDENTITY("identity-based policy", "an"),
    RESOURCE("resource-based policy", "a"),
    PERMISSIONS_BOUNDARY("permissions boundary", "a"),
    SESSION("session policy", "a");

    private final String phrase;
    private final String article;

    PolicyType(String phrase, String article) {
        this.phrase = phrase;
        this.article = article;
    }

    /** "identity-based policy", "permissions boundary", ... */
    public String phrase() {
        return phrase;
    }

    /** "an identity-based policy", "a service control policy", ... */
    public String withArticle() {
        return article + " " + phrase;
    }
}
