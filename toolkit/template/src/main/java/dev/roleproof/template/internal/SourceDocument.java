package dev.roleproof.template.internal;

import java.util.Map;

/**
 * A parsed template: plain Java values (LinkedHashMap, ArrayList, String, Long, Double, Boolean, null), intrinsics
 * as one-key maps in CloudFormation's long form ({"Fn::GetAtt": [A, B]}), and the 1-based line of every JSON pointer.
 */
public record SourceDocument(String fileName, Map<String, Object> root, Map<String, Integer> lines) {}
