package dev.roleproof.engine;

import dev.roleproof.engine.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything AWS would consult for one request.
 *
 * @param identityPolicies the caller's identity-based policies (all of its inline and managed policies)
 * @param resourcePolicy nullable; a role's trust policy for sts:AssumeRole*
 * @param permissionsBoundary nullable
 * @param sessionPolicy nullable
 * @param scps the SCPs of the principal's account, one list per OU level, root first; empty = no Organizations
 * @param rcps the RCPs of the resource's account, one list per level, root first; empty = none
 */
public record AuthorizationInput(
        Request request,
        List<Policy> identityPolicies,
        Policy resourcePolicy,
        Policy permissionsBoundary,
        Policy sessionPolicy,
        List<List<Policy>> scps,
        List<List<Policy>> rcps) {

    public AuthorizationInput {
        Objects.requireNonNull(request, "request");
        identityPolicies = identityPolicies == null ? List.of() : List.copyOf(identityPolicies);
        scps = copyLevels(scps);
        rcps = copyLevels(rcps);
    }

    private static List<List<Policy>> copyLevels(List<List<Policy>> levels) {
        if (levels == null) {
            return List.of();
        }
        List<List<Policy>> out = new ArrayList<>(levels.size());
        for (List<Policy> l : levels) {
            out.add(List.copyOf(l));
        }
        return List.copyOf(out);
    }

    public static Builder builder(Request request) {
        return new Builder(request);
    }

    /** Mutable builder; build() copies. */
    public static final class Builder {
        private final Request request;
        private final List<Policy> identity = new ArrayList<>();
        private Policy resource;
        private Policy boundary;
        private Policy session;
        private final List<List<Policy>> scps = new ArrayList<>();
        private final List<List<Policy>> rcps = new ArrayList<>();

        private Builder(Request request) {
            this.request = Objects.requireNonNull(request, "request");
        }

        public Builder identityPolicy(Policy p) {
            identity.add(Objects.requireNonNull(p));
            return this;
        }

        public Builder identityPolicies(List<Policy> ps) {
            identity.addAll(ps);
            return this;
        }

        public Builder resourcePolicy(Policy p) {
            resource = p;
            return this;
        }

        public Builder permissionsBoundary(Policy p) {
            boundary = p;
            return this;
        }

        public Builder sessionPolicy(Policy p) {
            session = p;
            return this;
        }

        /** Adds the next SCP level (root first). */
        public Builder scpLevel(List<Policy> level) {
            scps.add(level);
            return this;
        }

        /** Adds the next RCP level (root first). */
        public Builder rcpLevel(List<Policy> level) {
            rcps.add(level);
            return this;
        }

        public AuthorizationInput build() {
            return new AuthorizationInput(request, identity, resource, boundary, session, scps, rcps);
        }
    }
}
