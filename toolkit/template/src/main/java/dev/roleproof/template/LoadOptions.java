package dev.roleproof.template;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to load a template: the pseudo parameters (account, region, partition), parameter overrides ({@code --param}),
 * optionally a samconfig.toml whose {@code [<configEnv>.deploy.parameters] parameter_overrides} apply first
 * ({@code --param} wins over samconfig, samconfig over Default), and the {@link Limits} of what is read.
 */
public record LoadOptions(
        String account,
        String region,
        String partition,
        Map<String, String> parameters,
        Path samconfig,
        String configEnv,
        Limits limits) {

    public static final String DEFAULT_ACCOUNT = "111111111111";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_PARTITION = "aws";

    public LoadOptions {
        account = account == null ? DEFAULT_ACCOUNT : account;
        region = region == null ? DEFAULT_REGION : region;
        partition = partition == null ? DEFAULT_PARTITION : partition;
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        limits = limits == null ? Limits.DEFAULT : limits;
    }

    /** With the default {@link Limits}. */
    public LoadOptions(
            String account,
            String region,
            String partition,
            Map<String, String> parameters,
            Path samconfig,
            String configEnv) {
        this(account, region, partition, parameters, samconfig, configEnv, Limits.DEFAULT);
    }

    public static LoadOptions defaults() {
        return new LoadOptions(
                DEFAULT_ACCOUNT, DEFAULT_REGION, DEFAULT_PARTITION, Map.of(), null, null, Limits.DEFAULT);
    }

    public LoadOptions withAccount(String newAccount) {
        return new LoadOptions(newAccount, region, partition, parameters, samconfig, configEnv, limits);
    }

    public LoadOptions withRegion(String newRegion) {
        return new LoadOptions(account, newRegion, partition, parameters, samconfig, configEnv, limits);
    }

    public LoadOptions withParameters(Map<String, String> newParameters) {
        return new LoadOptions(account, region, partition, newParameters, samconfig, configEnv, limits);
    }

    public LoadOptions withSamconfig(Path file, String env) {
        return new LoadOptions(account, region, partition, parameters, file, env, limits);
    }

    public LoadOptions withLimits(Limits newLimits) {
        return new LoadOptions(account, region, partition, parameters, samconfig, configEnv, newLimits);
    }
}
