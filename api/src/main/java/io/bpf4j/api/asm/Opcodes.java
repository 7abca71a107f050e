package io.bpf4j.api.asm;

/**
 * The constants of the eBPF instruction encoding: RFC 9669 plus the Linux kernel's extensions
 * (pseudo sources of {@code ld_imm64} and {@code call}, load-acquire and store-release).
 *
 * <p>An opcode byte is {@code class | op | source} for arithmetic and jumps, and
 * {@code class | size | mode} for loads and stores. The names follow
 * {@code include/uapi/linux/bpf_common.h} and {@code include/uapi/linux/bpf.h} without the
 * {@code BPF_} prefix.
 */
public final class Opcodes {
    private Opcodes() {}

    // ---- instruction classes (low three bits) ----
    /** Class: non-standard loads ({@code ld_imm64}, legacy packet access). */
    public static final int LD = 0x00;
    /** Class: load into a register. */
    public static final int LDX = 0x01;
    /** Class: store an immediate. */
    public static final int ST = 0x02;
    /** Class: store a register, and atomics. */
    public static final int STX = 0x03;
    /** Class: 32-bit arithmetic. */
    public static final int ALU = 0x04;
    /** Class: 64-bit jumps, calls and exit. */
    public static final int JMP = 0x05;
    /** Class: 32-bit jumps. */
    public static final int JMP32 = 0x06;
    /** Class: 64-bit arithmetic. */
    public static final int ALU64 = 0x07;

    // ---- sizes of loads and stores ----
    /** Size: 4 bytes. */
    public static final int W = 0x00;
    /** Size: 2 bytes. */
    public static final int H = 0x08;
    /** Size: 1 byte. */
    public static final int B = 0x10;
    /** Size: 8 bytes. */
    public static final int DW = 0x18;

    // ---- modes of loads and stores ----
    /** Mode: 64-bit immediate ({@code ld_imm64}, two instruction slots). */
    public static final int IMM = 0x00;
    /** Mode: legacy packet load at an absolute offset. */
    public static final int ABS = 0x20;
    /** Mode: legacy packet load at a register-relative offset. */
    public static final int IND = 0x40;
    /** Mode: regular memory access. */
    public static final int MEM = 0x60;
    /** Mode: sign-extending load ({@code LDX} only). */
    public static final int MEMSX = 0x80;
    /** Mode: atomic operation ({@code STX} only); the operation is in {@code imm}. */
    public static final int ATOMIC = 0xc0;

    // ---- sources ----
    /** Source: the 32-bit immediate. */
    public static final int K = 0x00;
    /** Source: the source register. */
    public static final int X = 0x08;
    /** Byte swap direction: convert to little endian ({@code END}, class {@code ALU}). */
    public static final int TO_LE = 0x00;
    /** Byte swap direction: convert to big endian ({@code END}, class {@code ALU}). */
    public static final int TO_BE = 0x08;

    // ---- arithmetic operations ----
    /** ALU: {@code dst += src}. */
    public static final int ADD = 0x00;
    /** ALU: {@code dst -= src}. */
    public static final int SUB = 0x10;
    /** ALU: {@code dst *= src}. */
    public static final int MUL = 0x20;
    /** ALU: {@code dst /= src}, unsigned; signed when {@code off == 1}. */
    public static final int DIV = 0x30;
    /** ALU: {@code dst |= src}. */
    public static final int OR = 0x40;
    /** ALU: {@code dst &= src}. */
    public static final int AND = 0x50;
    /** ALU: {@code dst <<= src}. */
    public static final int LSH = 0x60;
    /** ALU: {@code dst >>= src}, logical. */
    public static final int RSH = 0x70;
    /** ALU: {@code dst = -dst}. */
    public static final int NEG = 0x80;
    /** ALU: {@code dst %= src}, unsigned; signed when {@code off == 1}. */
    public static final int MOD = 0x90;
    /** ALU: {@code dst ^= src}. */
    public static final int XOR = 0xa0;
    /** ALU: {@code dst = src}; sign-extending when {@code off} is 8, 16 or 32. */
    public static final int MOV = 0xb0;
    /** ALU: {@code dst >>= src}, arithmetic. */
    public static final int ARSH = 0xc0;
    /** ALU: byte swap; {@code imm} is the width 16, 32 or 64. */
    public static final int END = 0xd0;

    // ---- jump operations ----
    /** Jump: always ({@code JMP} uses {@code off}, {@code JMP32} uses {@code imm}). */
    public static final int JA = 0x00;
    /** Jump if equal. */
    public static final int JEQ = 0x10;
    /** Jump if greater, unsigned. */
    public static final int JGT = 0x20;
    /** Jump if greater or equal, unsigned. */
    public static final int JGE = 0x30;
    /** Jump if {@code dst & src != 0}. */
    public static final int JSET = 0x40;
    /** Jump if not equal. */
    public static final int JNE = 0x50;
    /** Jump if greater, signed. */
    public static final int JSGT = 0x60;
    /** Jump if greater or equal, signed. */
    public static final int JSGE = 0x70;
    /** Call a helper ({@code src 0}), a local function ({@code src 1}) or a kfunc ({@code src 2}). */
    public static final int CALL = 0x80;
    /** Return from the function, {@code r0} holds the result. */
    public static final int EXIT = 0x90;
    /** Jump if less, unsigned. */
    public static final int JLT = 0xa0;
    /** Jump if less or equal, unsigned. */
    public static final int JLE = 0xb0;
    /** Jump if less, signed. */
    public static final int JSLT = 0xc0;
    /** Jump if less or equal, signed. */
    public static final int JSLE = 0xd0;

    // ---- atomic operations (imm of a BPF_STX | BPF_ATOMIC instruction) ----
    /** Atomic modifier: also load the old value into {@code src}. */
    public static final int FETCH = 0x01;
    /** Atomic: {@code *(dst + off) += src}. */
    public static final int ATOMIC_ADD = ADD;
    /** Atomic: {@code *(dst + off) |= src}. */
    public static final int ATOMIC_OR = OR;
    /** Atomic: {@code *(dst + off) &= src}. */
    public static final int ATOMIC_AND = AND;
    /** Atomic: {@code *(dst + off) ^= src}. */
    public static final int ATOMIC_XOR = XOR;
    /** Atomic exchange: {@code src = xchg(dst + off, src)}. */
    public static final int XCHG = 0xe0 | FETCH;
    /** Atomic compare-and-exchange: {@code r0 = cmpxchg(dst + off, r0, src)}. */
    public static final int CMPXCHG = 0xf0 | FETCH;
    /** Load-acquire (Linux 6.15): {@code dst = load_acquire(src + off)}. */
    public static final int LOAD_ACQ = 0x100;
    /** Store-release (Linux 6.15): {@code store_release(dst + off, src)}. */
    public static final int STORE_REL = 0x110;

    // ---- offsets with a meaning ----
    /** {@code off} of a signed division or modulo. */
    public static final int OFF_SIGNED = 1;

    // ---- pseudo sources of ld_imm64 (src register field) ----
    /** {@code ld_imm64}: {@code imm} is a map file descriptor; loads the map. */
    public static final int PSEUDO_MAP_FD = 1;
    /** {@code ld_imm64}: map fd in {@code imm}, offset in the second {@code imm}; loads a value address. */
    public static final int PSEUDO_MAP_VALUE = 2;
    /** {@code ld_imm64}: {@code imm} is a BTF id of a kernel variable. */
    public static final int PSEUDO_BTF_ID = 3;
    /** {@code ld_imm64}: {@code imm} is the relative instruction offset of a function. */
    public static final int PSEUDO_FUNC = 4;
    /** {@code ld_imm64}: {@code imm} is an index into the program's fd array; loads the map. */
    public static final int PSEUDO_MAP_IDX = 5;
    /** {@code ld_imm64}: map index in {@code imm}, offset in the second {@code imm}; loads a value address. */
    public static final int PSEUDO_MAP_IDX_VALUE = 6;

    // ---- pseudo sources of call (src register field) ----
    /** {@code call}: {@code imm} is the relative offset of a local function. */
    public static final int PSEUDO_CALL = 1;
    /** {@code call}: {@code imm} is the BTF id of a kernel function. */
    public static final int PSEUDO_KFUNC_CALL = 2;

    // ---- whole opcodes used often ----
    /** {@code ld_imm64}: {@code LD | DW | IMM}. */
    public static final int LD_IMM64 = LD | DW | IMM;
    /** {@code call}: {@code JMP | CALL}. */
    public static final int CALL_OP = JMP | CALL;
    /** {@code exit}: {@code JMP | EXIT}. */
    public static final int EXIT_OP = JMP | EXIT;

    /**
     * The class of an opcode.
     *
     * @param opcode the opcode byte
     * @return the low three bits
     */
    public static int cls(int opcode) {
        return opcode & 0x07;
    }

    /**
     * The operation of an arithmetic or jump opcode.
     *
     * @param opcode the opcode byte
     * @return the high four bits
     */
    public static int op(int opcode) {
        return opcode & 0xf0;
    }

    /**
     * The source bit of an arithmetic or jump opcode.
     *
     * @param opcode the opcode byte
     * @return {@link #K} or {@link #X}
     */
    public static int source(int opcode) {
        return opcode & 0x08;
    }

    /**
     * The size of a load or store opcode.
     *
     * @param opcode the opcode byte
     * @return {@link #W}, {@link #H}, {@link #B} or {@link #DW}
     */
    public static int size(int opcode) {
        return opcode & 0x18;
    }

    /**
     * The mode of a load or store opcode.
     *
     * @param opcode the opcode byte
     * @return {@link #IMM}, {@link #ABS}, {@link #IND}, {@link #MEM}, {@link #MEMSX} or {@link #ATOMIC}
     */
    public static int mode(int opcode) {
        return opcode & 0xe0;
    }

    /**
     * The number of bytes a size code stands for.
     *
     * @param size {@link #W}, {@link #H}, {@link #B} or {@link #DW} (other bits are ignored)
     * @return 4, 2, 1 or 8
     */
    public static int bytes(int size) {
        switch (size & 0x18) {
            case W: return 4;
            case H: return 2;
            case B: return 1;
            default: return 8;
        }
    }
}
