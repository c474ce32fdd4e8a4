package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.selfcheck.internal.Identities;
import org.junit.jupiter.api.Test;

class IdentitiesTest {

    private static final String SESSION = "arn:aws:sts::111111111111:assumed-role/SqsConsumerRole/roleproof-fn";

    @Test
    void aSessionOfTheRoleMatchesWithOrWithoutAPath() {
        assertThat(Identities.callerIsRole(SESSION, "arn:aws:iam::111111111111:role/SqsConsumerRole"))
                .isTrue();
        assertThat(Identities.callerIsRole(SESSION, "arn:aws:iam::111111111111:role/app/team/SqsConsumerRole"))
                .isTrue();
    }

    @Test
    void otherRolesAccountsPartitionsAndPrincipalsDoNot() {
        assertThat(Identities.callerIsRole(SESSION, "arn:aws:iam::111111111111:role/SqsConsumerRole2"))
                .isFalse();
        assertThat(Identities.callerIsRole(SESSION, "arn:aws:iam::222222222222:role/SqsConsumerRole"))
                .isFalse();
        assertThat(Identities.callerIsRole(SESSION, "arn:aws-cn:iam::111111111111:role/SqsConsumerRole"))
                .isFalse();
        assertThat(Identities.callerIsRole(
                        "arn:aws:iam::111111111111:user/SqsConsumerRole",
                        "arn:aws:iam::111111111111:role/SqsConsumerRole"))
                .isFalse();
        assertThat(Identities.callerIsRole(
                        "arn:aws:sts::111111111111:federated-user/SqsConsumerRole",
                        "arn:aws:iam::111111111111:role/SqsConsumerRole"))
                .isFalse();
        // A role path segment with the same name is not the role.
        assertThat(Identities.callerIsRole(
                        "arn:aws:sts::111111111111:assumed-role/app/s",
                        "arn:aws:iam::111111111111:role/app/SqsConsumerRole"))
                .isFalse();
    }

    @Test
    void missingOrMalformedValuesNeverMatch() {
        assertThat(Identities.callerIsRole(null, "arn:aws:iam::111111111111:role/R"))
                .isFalse();
        assertThat(Identities.callerIsRole(SESSION, null)).isFalse();
        assertThat(Identities.callerIsRole(SESSION, "SqsConsumerRole")).isFalse();
        assertThat(Identities.callerIsRole(
                        "arn:aws:sts::111111111111:assumed-role/R", "arn:aws:iam::111111111111:role/R"))
                .isFalse();
    }
}
