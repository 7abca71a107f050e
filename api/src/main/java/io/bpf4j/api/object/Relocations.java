package io.bpf4j.api.object;

/**
 * The BPF relocation types of an object file ({@code R_BPF_*}, LLVM's
 * {@code llvm/BinaryFormat/ELFRelocs/BPF.def}, LLVM 14 to 19).
 */
final class Relocations {
    /** No relocation. */
    static final int R_BPF_NONE = 0;
    /** A 64-bit immediate load ({@code ld_imm64}) of a map or global variable's address. */
    static final int R_BPF_64_64 = 1;
    /** A 64-bit absolute address in data (debug info, {@code .maps} initialisers). */
    static final int R_BPF_64_ABS64 = 2;
    /** A 32-bit absolute address in data (debug info). */
    static final int R_BPF_64_ABS32 = 3;
    /** A 32-bit address that dynamic loaders ignore (.BTF.ext). */
    static final int R_BPF_64_NODYLD32 = 4;
    /** A call's 32-bit immediate: a bpf-to-bpf call. */
    static final int R_BPF_64_32 = 10;

    private Relocations() {
    }

    static String typeName(int type) {
        return switch (type) {
            case R_BPF_NONE -> "R_BPF_NONE";
            case R_BPF_64_64 -> "R_BPF_64_64";
            case R_BPF_64_ABS64 -> "R_BPF_64_ABS64";
            case R_BPF_64_ABS32 -> "R_BPF_64_ABS32";
            case R_BPF_64_NODYLD32 -> "R_BPF_64_NODYLD32";
            case R_BPF_64_32 -> "R_BPF_64_32";
            default -> "not a BPF relocation type";
        };
    }

    /** How many bytes a relocation in code patches: a whole ld_imm64 or one call; -1 for others. */
    static int codeWidth(int type) {
        return switch (type) {
            case R_BPF_64_64 -> 16;
            case R_BPF_64_32 -> 8;
            default -> -1;
        };
    }

    /** How many bytes a relocation in data patches; -1 for types that never apply to data. */
    static int dataWidth(int type) {
        return switch (type) {
            case R_BPF_64_ABS64 -> 8;
            case R_BPF_64_ABS32, R_BPF_64_NODYLD32 -> 4;
            default -> -1;
        };
    }
}
