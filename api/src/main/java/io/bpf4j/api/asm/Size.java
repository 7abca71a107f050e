package io.bpf4j.api.asm;

/** The width of a memory access. */
public enum Size {
    /** One byte ({@code BPF_B}). */
    B(Opcodes.B, 1, "b"),
    /** Two bytes ({@code BPF_H}). */
    H(Opcodes.H, 2, "h"),
    /** Four bytes ({@code BPF_W}). */
    W(Opcodes.W, 4, "w"),
    /** Eight bytes ({@code BPF_DW}). */
    DW(Opcodes.DW, 8, "dw");

    private final int code;
    private final int bytes;
    private final String suffix;

    Size(int code, int bytes, String suffix) {
        this.code = code;
        this.bytes = bytes;
        this.suffix = suffix;
    }

    /**
     * The size bits of the opcode.
     *
     * @return {@link Opcodes#B}, {@link Opcodes#H}, {@link Opcodes#W} or {@link Opcodes#DW}
     */
    public int code() {
        return code;
    }

    /**
     * The width in bytes.
     *
     * @return 1, 2, 4 or 8
     */
    public int bytes() {
        return bytes;
    }

    /**
     * The mnemonic suffix, as in {@code ldxdw}.
     *
     * @return {@code b}, {@code h}, {@code w} or {@code dw}
     */
    public String suffix() {
        return suffix;
    }

    /**
     * The size for the size bits of an opcode.
     *
     * @param opcode an opcode; only its size bits are read
     * @return the size
     */
    public static Size ofOpcode(int opcode) {
        switch (opcode & 0x18) {
            case Opcodes.B: return B;
            case Opcodes.H: return H;
            case Opcodes.W: return W;
            default: return DW;
        }
    }
}
