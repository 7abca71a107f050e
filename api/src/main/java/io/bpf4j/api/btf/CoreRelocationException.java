package io.bpf4j.api.btf;

/**
 * A CO-RE relocation that cannot be applied: the local access string does not fit the local
 * type, several target candidates give different answers, or the instruction does not carry
 * the value the relocation expects. A relocation that merely finds no target is not an error:
 * its instruction is poisoned (see {@link CoreRelocator}).
 */
public final class CoreRelocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the relocation
     */
    public CoreRelocationException(String message) {
        super(message);
    }
}
