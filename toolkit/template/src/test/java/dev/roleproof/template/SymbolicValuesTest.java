package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Fn::ImportValue, unknown attributes and SSM parameter types never fail the load: they are symbolic. */
class SymbolicValuesTest {

    @Test
    void symbolicValuesKeepTheModelAndMarkWhatIsUnknowable() {
        SamTemplate t = TemplateLoader.load(
                RepoPaths.testResource("templates/fixtures/symbolic-values.yaml"), LoadOptions.defaults());
        assertThat(t.parameters()).containsEntry("Acct", "{{SSM:/shared/account}}");
        RoleSpec role = t.role("R").orElseThrow();
        assertThat(role.trustPolicy())
                .as("its principals are only known at deploy time")
                .isNull();
        AttachedPolicy p = role.policies().get(0);
        assertThat(p.policy()).isNotNull();
        assertThat(p.policy().statements().get(0).resources()).containsExactly("{{ImportValue:queue-arn}}");
        assertThat(p.statementLines()).containsExactly(25);
    }
}
