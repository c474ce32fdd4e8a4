package dev.roleproof.check;

import java.util.List;

/** One lint: reads the context (template, target, evaluated needs) and only returns findings. */
public interface Check {

    CheckInfo info();

    List<Finding> run(CheckContext context);
}
