package dev.roleproof.engine;

/** The three outcomes AWS reports. Ordered from most to least permissive: combining only ever lowers. */
public enum Outcome {
    ALLOWED("Allowed"),
    IMPLICITLY_DENIED("ImplicitlyDenied"),
    EXPLICITLY_DENIED("ExplicitlyDenied");

    private final String awsName;

    Outcome(String awsName) {
        this.awsName = awsName;
    }

    /** "Allowed", "ImplicitlyDenied", "ExplicitlyDenied" (iam-simulate and IAM simulator spelling). */
    public String awsName() {
        return awsName;
    }

    public static Outcome fromAwsName(String name) {
        for (Outcome o : values()) {
            if (o.awsName.equalsIgnoreCase(name) || o.name().equalsIgnoreCase(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException(
                "Unknown decision '" + name + "' (Allowed, ImplicitlyDenied, ExplicitlyDenied)");
    }
}
