package dev.roleproof.check;

import java.nio.file.Path;

/** Where a finding about a need goes: the logical id to change, its line, and its template file. */
public record Blame(String resource, int line, Path file) {}
