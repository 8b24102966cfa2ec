package dev.veil.core.policy;

/** A secret reference could not be resolved; the message names the reference and why, never a value. */
public final class UnresolvedSecretException extends RuntimeException {

    private final SecretRef ref;

    public UnresolvedSecretException(SecretRef ref, String why) {
        super(ref.asYaml() + " " + why, null, false, false);
        this.ref = ref;
    }

    /** The reference that failed. */
    public SecretRef ref() {
        return ref;
    }
}
