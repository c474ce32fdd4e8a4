package dev.roleproof.local.enforce;

import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Request;

/**
 * What the engine needs to judge one request, from the deployed model: the identity policies of the caller's role,
 * its permissions boundary, the resource policy of the target (for sts:AssumeRole: the target role's trust policy),
 * SCPs/RCPs if any.
 *
 * <p>The proxy fills the request: principal = caller ARN, action, resource ARN, resourceAccount (the account of the
 * resource when its ARN does not carry one, e.g. S3), and context keys (aws:PrincipalArn, aws:PrincipalAccount,
 * aws:SourceIp is not set; per-service keys such as sts:ExternalId). The implementation returns an input built
 * around that same request (it may add context keys).
 */
@FunctionalInterface
public interface PolicySource {
    AuthorizationInput inputFor(Principal caller, Request request);
}
