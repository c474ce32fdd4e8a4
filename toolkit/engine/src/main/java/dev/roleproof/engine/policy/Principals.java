package dev.roleproof.engine.policy;

import java.util.List;

/**
 * A Principal or NotPrincipal element. {@code "Principal": "*"} sets {@code any}; the map form fills the lists
 * ({@code {"AWS": "*"}} is kept in {@code aws} as "*", which AWS treats the same as "*").
 *
 * @param any the element was the bare string "*"
 * @param aws account ids, :root ARNs, user, role, assumed-role session or federated-user ARNs, or "*"
 * @param service service principals such as "s3.amazonaws.com"
 * @param federated identity providers (a SAML provider ARN, "cognito-identity.amazonaws.com", ...)
 * @param canonicalUser S3 canonical user ids
 */
public record Principals(
        boolean any, List<String> aws, List<String> service, List<String> federated, List<String> canonicalUser) {
    public static final Principals ANY = new Principals(true, List.of(), List.of(), List.of(), List.of());

    public Principals {
        aws = List.copyOf(aws);
        service = List.copyOf(service);
        federated = List.copyOf(federated);
        canonicalUser = List.copyOf(canonicalUser);
    }

    public static Principals aws(String... arns) {
        return new Principals(false, List.of(arns), List.of(), List.of(), List.of());
    }

    public static Principals service(String... names) {
        return new Principals(false, List.of(), List.of(names), List.of(), List.of());
    }
}
