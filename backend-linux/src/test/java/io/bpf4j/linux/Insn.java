package io.bpf4j.linux;

/**
 * The few eBPF instructions these tests need, encoded by hand as the kernel's 64-bit
 * {@code struct bpf_insn} words: {@code opcode | dst << 8 | src << 12 | off << 16 | imm << 32}.
 */
final class Insn {
    static final int R0 = 0;
    static final int R1 = 1;
    static final int R2 = 2;
    static final int R3 = 3;
    static final int R4 = 4;
    static final int R10 = 10;

    private Insn() {
    }

    static long word(int opcode, int dst, int src, int off, int imm) {
        return (opcode & 0xffL) | (long) (dst & 0xf) << 8 | (long) (src & 0xf) << 12 | (off & 0xffffL) << 16
                | (long) imm << 32;
    }

    /** {@code dst = imm} (BPF_ALU64 | BPF_MOV | BPF_K). */
    static long mov64(int dst, int imm) {
        return word(0xb7, dst, 0, 0, imm);
    }

    /** {@code dst = src} (BPF_ALU64 | BPF_MOV | BPF_X). */
    static long mov64Reg(int dst, int src) {
        return word(0xbf, dst, src, 0, 0);
    }

    /** {@code dst += imm}. */
    static long add64(int dst, int imm) {
        return word(0x07, dst, 0, 0, imm);
    }

    /** {@code *(u32 *)(dst + off) = imm}. */
    static long stw(int dst, int off, int imm) {
        return word(0x62, dst, 0, off, imm);
    }

    /** {@code *(u64 *)(dst + off) = imm}. */
    static long stdw(int dst, int off, int imm) {
        return word(0x7a, dst, 0, off, imm);
    }

    /** {@code call helper}. */
    static long call(int helper) {
        return word(0x85, 0, 0, 0, helper);
    }

    /** {@code exit}. */
    static long exit() {
        return word(0x95, 0, 0, 0, 0);
    }

    /** {@code if dst == imm goto +off}. */
    static long jeq(int dst, int imm, int off) {
        return word(0x15, dst, 0, off, imm);
    }

    /** The two words of {@code dst = map fd} (BPF_LD | BPF_DW | BPF_IMM, src BPF_PSEUDO_MAP_FD). */
    static long[] ldMapFd(int dst, int fd) {
        return new long[] {word(0x18, dst, 1, 0, fd), 0L};
    }

    /** {@code r0 = value; exit}. */
    static long[] ret(int value) {
        return new long[] {mov64(R0, value), exit()};
    }

    /** Concatenates instruction words and arrays. */
    static long[] of(Object... parts) {
        int n = 0;
        for (Object p : parts) n += p instanceof long[] ? ((long[]) p).length : 1;
        long[] r = new long[n];
        int i = 0;
        for (Object p : parts) {
            if (p instanceof long[]) {
                for (long w : (long[]) p) r[i++] = w;
            } else {
                r[i++] = (Long) p;
            }
        }
        return r;
    }
}
