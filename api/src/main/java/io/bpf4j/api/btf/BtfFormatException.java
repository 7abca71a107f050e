package io.bpf4j.api.btf;

/**
 * BTF or {@code .BTF.ext} bytes that cannot be read: a bad header, a record or string past the
 * end of its section, an unknown kind, a reference to a type that does not exist, a chain of
 * references that loops. The message names what is wrong and where: the byte offset in the blob
 * and, inside the type section, the type id.
 */
public final class BtfFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The byte offset in the blob, or -1. */
    private final long offset;
    /** The type id the problem was found in, or 0. */
    private final int typeId;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     * @param offset where in the blob, in bytes from its start, or -1 when it is not about one place
     * @param typeId the type the problem was found in, or 0
     */
    public BtfFormatException(String message, long offset, int typeId) {
        super(describe(message, offset, typeId));
        this.offset = offset;
        this.typeId = typeId;
    }

    private static String describe(String message, long offset, int typeId) {
        StringBuilder b = new StringBuilder("bad BTF: ");
        if (typeId > 0) b.append("type [").append(typeId).append("] ");
        if (offset >= 0) b.append("at byte ").append(offset).append(": ");
        return b.append(message).toString();
    }

    /**
     * Where in the blob the problem is.
     *
     * @return the byte offset from the start of the blob, or -1
     */
    public long offset() {
        return offset;
    }

    /**
     * The type the problem was found in.
     *
     * @return its id, or 0 when the problem is not inside one type
     */
    public int typeId() {
        return typeId;
    }
}
