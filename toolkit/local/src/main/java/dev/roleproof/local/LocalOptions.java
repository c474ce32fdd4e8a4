package dev.roleproof.local;

import java.net.URI;
import java.nio.file.Path;

/**
 * What {@code roleproof local} runs: the project root (functions/ and events/ live there), account A's template and
 * account B's, the two account ids, an existing moto endpoint (null: start one), and a break to apply (null: none).
 */
public record LocalOptions(
        Path root, Path template, Path target, String account, String targetAccount, URI endpoint, String breakName) {

    public static final String DEFAULT_ACCOUNT = "111111111111";
    public static final String DEFAULT_TARGET_ACCOUNT = "222222222222";

    public LocalOptions {
        root = root == null ? Path.of("").toAbsolutePath() : root.toAbsolutePath();
        template = template == null ? root.resolve("template.yaml") : template;
        target = target == null ? root.resolve("target-account/template.yaml") : target;
        account = account == null ? DEFAULT_ACCOUNT : account;
        targetAccount = targetAccount == null ? DEFAULT_TARGET_ACCOUNT : targetAccount;
    }

    /** The defaults for a project root: its template.yaml and target-account/template.yaml, accounts 1… and 2…. */
    public static LocalOptions defaults(Path root) {
        return new LocalOptions(root, null, null, null, null, null, null);
    }

    public LocalOptions withBreak(String name) {
        return new LocalOptions(root, template, target, account, targetAccount, endpoint, name);
    }

    public LocalOptions withEndpoint(URI uri) {
        return new LocalOptions(root, template, target, account, targetAccount, uri, breakName);
    }
}
