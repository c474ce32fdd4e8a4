package dev.roleproof.cli;

/** Output formats; each command says which it supports. */
public enum Format {
    text,
    json,
    sarif,
    mermaid
}
