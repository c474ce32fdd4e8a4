package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roleproof.template.internal.Samconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamconfigTest {

    @Test
    void parameterOverridesAsSamWritesThem() {
        assertThat(Samconfig.parseOverrides("A=1 B=\"two words\" C='x=y' D=", "f"))
                .containsExactly(
                        Map.entry("A", "1"), Map.entry("B", "two words"), Map.entry("C", "x=y"), Map.entry("D", ""));
        assertThat(Samconfig.parseOverrides("ParameterKey=K,ParameterValue=v", "f"))
                .containsExactly(Map.entry("K", "v"));
        assertThatThrownBy(() -> Samconfig.parseOverrides("novalue", "samconfig.toml"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("samconfig.toml: parameter_overrides: 'novalue' is not Key=Value");
    }

    @Test
    void environmentsStackNameAndListForm(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("samconfig.toml");
        Files.writeString(file, """
                version = 0.1
                [default.global.parameters]
                stack_name = "app"
                [default.deploy.parameters]
                parameter_overrides = "Env=prod Name=\\"a b\\""
                [staging.deploy.parameters]
                stack_name = "app-staging"
                parameter_overrides = ["Env=staging", "Name=c"]
                """);
        Samconfig def = Samconfig.read(file, null);
        assertThat(def.stackName()).isEqualTo("app");
        assertThat(def.parameterOverrides()).containsExactly(Map.entry("Env", "prod"), Map.entry("Name", "a b"));
        Samconfig staging = Samconfig.read(file, "staging");
        assertThat(staging.stackName()).isEqualTo("app-staging");
        assertThat(staging.parameterOverrides()).containsEntry("Env", "staging").containsEntry("Name", "c");
        assertThatThrownBy(() -> Samconfig.read(file, "prod"))
                .isInstanceOf(TemplateException.class)
                .hasMessage(file + ": samconfig has no environment 'prod' (--config-env)");
    }

    @Test
    void paramWinsOverSamconfigWhichWinsOverDefault(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("samconfig.toml");
        Files.writeString(config, "[default.deploy.parameters]\nparameter_overrides = \"A=fromConfig B=fromConfig\"\n");
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                Parameters:
                  A: {Type: String, Default: fromDefault}
                  B: {Type: String, Default: fromDefault}
                  C: {Type: String, Default: fromDefault}
                Resources:
                  Q: {Type: AWS::SQS::Queue}
                """);
        SamTemplate t = TemplateLoader.load(
                template,
                LoadOptions.defaults().withParameters(Map.of("A", "fromParam")).withSamconfig(config, null));
        assertThat(t.parameters())
                .containsEntry("A", "fromParam")
                .containsEntry("B", "fromConfig")
                .containsEntry("C", "fromDefault");
    }

    @Test
    void anOverrideForAnUndeclaredParameterNamesSamconfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("samconfig.toml");
        Files.writeString(config, "[default.deploy.parameters]\nparameter_overrides = \"Typo=x\"\n");
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, "Resources:\n  Q: {Type: AWS::SQS::Queue}\n");
        assertThatThrownBy(() ->
                        TemplateLoader.load(template, LoadOptions.defaults().withSamconfig(config, null)))
                .isInstanceOf(TemplateException.class)
                .hasMessage(config + ": parameter_overrides of [default.deploy.parameters] sets 'Typo', which "
                        + template + " does not declare");
    }

    @Test
    void missingOrBrokenSamconfig(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.toml");
        assertThatThrownBy(() -> Samconfig.read(missing, null))
                .isInstanceOf(TemplateException.class)
                .hasMessage(missing + ": cannot read samconfig: no such file");
        Path broken = dir.resolve("broken.toml");
        Files.writeString(broken, "[default\nx = 1\n");
        assertThatThrownBy(() -> Samconfig.read(broken, null))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith(broken + ": cannot read samconfig: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
