package dev.roleproof.template;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to load a template: the pseudo parameters (account, region, partition), parameter overrides ({@code --param}),
 * and optionally a samconfig.toml whose {@code [<configEnv>.deploy.parameters] parameter_overrides} apply first
 * ({@code --param} wins over samconfig, samconfig over Default).
 */
public record LoadOptions(
        String account,
        String region,
        String partition,
        Map<String, String> parameters,
        Path samconfig,
        String configEnv) {

    public static final String DEFAULT_ACCOUNT = "111111111111";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_PARTITION = "aws";

    public LoadOptions {
        account = account == null ? DEFAULT_ACCOUNT : account;
        region = region == null ? DEFAULT_REGION : region;
        partition = partition == null ? DEFAULT_PARTITION : partition;
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    public static LoadOptions defaults() {
        return new LoadOptions(DEFAULT_ACCOUNT, DEFAULT_REGION, DEFAULT_PARTITION, Map.of(), null, null);
    }

    public LoadOptions withAccount(String newAccount) {
        return new LoadOptions(newAccount, region, partition, parameters, samconfig, configEnv);
    }

    public LoadOptions withRegion(String newRegion) {
        return new LoadOptions(account, newRegion, partition, parameters, samconfig, configEnv);
    }

    public LoadOptions withParameters(Map<String, String> newParameters) {
        return new LoadOptions(account, region, partition, newParameters, samconfig, configEnv);
    }

    public LoadOptions withSamconfig(Path file, String env) {
        return new LoadOptions(account, region, partition, parameters, file, env);
    }
}
