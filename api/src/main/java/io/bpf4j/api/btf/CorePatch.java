package io.bpf4j.api.btf;

/**
 * Patching one instruction with a CO-RE outcome, as libbpf 1.1's {@code bpf_core_patch_insn()}
 * and {@code bpf_core_poison_insn()} do ({@code tools/lib/bpf/relo_core.c}). Instructions are
 * {@code struct bpf_insn} as little-endian 64-bit words: code in bits 0-7, dst_reg 8-11, src_reg
 * 12-15, off 16-31, imm 32-63.
 */
final class CorePatch {
    private static final int LD_IMM64 = 0x18;
    private static final long POISON = 0x85L | ((long) CoreRelocator.POISON_HELPER << 32);

    private CorePatch() {
    }

    static void patch(long[] insns, CoreRelocator.Result r) {
        int i = r.relo().insnIndex();
        if (i < 0 || i >= insns.length) throw fail(r, "instruction " + i + " is outside the section (" + insns.length + ")");
        long w = insns[i];
        int code = (int) (w & 0xff);
        if (r.poison()) {
            poison(insns, i);
            return;
        }
        long v = r.targetValue();
        switch (code & 7) {
            case 4: // BPF_ALU
            case 7: { // BPF_ALU64
                if ((code & 0x08) != 0) throw fail(r, "the ALU instruction takes a register, not an immediate");
                int imm = (int) (w >> 32);
                if (r.validate() && imm != r.localValue()) throw unexpected(r, imm);
                // libbpf truncates the value to the immediate without a range check
                insns[i] = (w & 0xffffffffL) | (v << 32);
                return;
            }
            case 1: // BPF_LDX
            case 2: // BPF_ST
            case 3: { // BPF_STX
                int off = (short) (w >>> 16);
                if (r.validate() && off != r.localValue()) throw unexpected(r, off);
                if (Long.compareUnsigned(v, Short.MAX_VALUE) > 0) throw fail(r, "offset " + Long.toUnsignedString(v) + " does not fit 16 bits");
                if (r.resizeRefused()) {
                    // a load of another width would read another value: the verifier is to refuse it
                    poison(insns, i);
                    return;
                }
                w = (w & ~0xffff0000L) | ((v & 0xffff) << 16);
                if (r.targetSize() != r.localSize()) {
                    if (sizeOf(code) != r.localSize()) {
                        throw fail(r, "the instruction accesses " + sizeOf(code) + " bytes, the field is " + r.localSize());
                    }
                    long bits = sizeBits(r.targetSize());
                    if (bits < 0) throw fail(r, "no load or store is " + r.targetSize() + " bytes wide");
                    w = (w & ~0x18L) | bits;
                }
                insns[i] = w;
                return;
            }
            case 0: { // BPF_LD
                if (code != LD_IMM64 || i + 1 >= insns.length || ((w >>> 12) & 0xf) != 0 || ((w >>> 16) & 0xffff) != 0
                        || (insns[i + 1] & 0xffffffffL) != 0) {
                    throw fail(r, "the 64-bit immediate load has an unexpected form");
                }
                long imm = (insns[i] >>> 32) | (insns[i + 1] & 0xffffffff00000000L);
                if (r.validate() && imm != r.localValue()) throw unexpected(r, imm);
                insns[i] = (insns[i] & 0xffffffffL) | (v << 32);
                insns[i + 1] = (insns[i + 1] & 0xffffffffL) | (v & 0xffffffff00000000L);
                return;
            }
            default:
                throw fail(r, "instruction code 0x" + Integer.toHexString(code) + " takes no relocation");
        }
    }

    /**
     * A call to helper {@code 0xbad2310}; both halves of a 64-bit immediate load, so that the
     * verifier's complaint is the invalid call, not an unknown opcode.
     */
    private static void poison(long[] insns, int i) {
        if ((insns[i] & 0xff) == LD_IMM64 && i + 1 < insns.length) insns[i + 1] = POISON;
        insns[i] = POISON;
    }

    private static int sizeOf(int code) {
        switch (code & 0x18) {
            case 0x10:
                return 1;
            case 0x08:
                return 2;
            case 0x00:
                return 4;
            default:
                return 8;
        }
    }

    private static long sizeBits(int size) {
        switch (size) {
            case 1:
                return 0x10;
            case 2:
                return 0x08;
            case 4:
                return 0x00;
            case 8:
                return 0x18;
            default:
                return -1;
        }
    }

    private static CoreRelocationException fail(CoreRelocator.Result r, String why) {
        return CoreRelocator.fail(r.relo(), why);
    }

    private static CoreRelocationException unexpected(CoreRelocator.Result r, long found) {
        return fail(r, "the instruction carries " + found + ", the local BTF gives " + r.localValue());
    }
}
