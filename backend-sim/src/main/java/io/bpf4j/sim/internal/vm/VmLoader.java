package io.bpf4j.sim.internal.vm;

import static io.bpf4j.api.asm.Opcodes.*;

import io.bpf4j.api.MapType;
import io.bpf4j.api.asm.Helper;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Checks and decodes a program for the interpreter, rejecting what the kernel rejects before it
 * runs anything: unknown opcodes, reserved fields in use, bad registers, writes to {@code r10},
 * jumps out of the program or into the middle of a {@code ld_imm64}, unknown helpers, maps that
 * do not resolve, division by a zero immediate, shifts by an out-of-range immediate, and a last
 * instruction that is not {@code exit} or a jump.
 *
 * <p>This is not the kernel's verifier: it does not track pointer types or prove bounds, so it
 * accepts programs the kernel refuses. The interpreter makes up for it at run time, stopping
 * with {@link VmException} on any access outside memory the program holds.
 */
public final class VmLoader {
    /** The kernel's {@code BPF_COMPLEXITY_LIMIT_INSNS}: the most instructions a program may have. */
    public static final int MAX_INSNS = 1_000_000;

    private HelperTable helpers = HelperTable.linux();
    private MapResolver maps = MapResolver.NONE;
    private boolean allowOutOfRangeShifts;
    private boolean allowCallx;
    private String name = "";
    private int stackDepth = Memory.FRAME_SIZE;

    /** Creates a loader with the standard helpers and no maps. */
    public VmLoader() {}

    /**
     * Sets the helpers the program may call.
     *
     * @param table the helper table
     * @return this loader
     */
    public VmLoader helpers(HelperTable table) {
        this.helpers = Objects.requireNonNull(table, "table");
        return this;
    }

    /**
     * Sets how map references are resolved.
     *
     * @param resolver the resolver
     * @return this loader
     */
    public VmLoader maps(MapResolver resolver) {
        this.maps = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /**
     * Accepts shifts by an immediate outside {@code 0..width-1} and runs them masked, as uBPF
     * and the conformance suite expect; the kernel's verifier rejects them
     * ({@code invalid shift N}), which is the default.
     *
     * @param allow {@code true} to accept them
     * @return this loader
     */
    public VmLoader allowOutOfRangeShifts(boolean allow) {
        this.allowOutOfRangeShifts = allow;
        return this;
    }

    /**
     * Accepts {@code callx} (opcode {@code 0x8d}: call the helper whose id is in the {@code dst}
     * register), which uBPF and the conformance suite know; RFC 9669 does not define it and the
     * kernel rejects it as an unknown opcode, which is the default.
     *
     * @param allow {@code true} to accept it
     * @return this loader
     */
    public VmLoader allowCallx(boolean allow) {
        this.allowCallx = allow;
        return this;
    }

    /**
     * How deep below the frame pointer the program's main function can reach, as a verifier found
     * it: each run zeroes only that much of the main frame (the kernel zeroes none; the simulator
     * zeroes what a program can read so that runs repeat exactly). The default is the whole
     * 512-byte frame, right for code no verifier walked.
     *
     * @param bytes 0 to 512
     * @return this loader
     * @throws IllegalArgumentException when out of that range
     */
    public VmLoader stackDepth(int bytes) {
        if (bytes < 0 || bytes > Memory.FRAME_SIZE) {
            throw new IllegalArgumentException("stackDepth: " + bytes + " is not within 0.." + Memory.FRAME_SIZE);
        }
        this.stackDepth = bytes;
        return this;
    }

    /**
     * Sets the name used in messages.
     *
     * @param programName the program's name
     * @return this loader
     */
    public VmLoader name(String programName) {
        this.name = Objects.requireNonNull(programName, "programName");
        return this;
    }

    /**
     * Checks and decodes a program.
     *
     * @param insns the kernel's instruction array
     * @return the decoded program
     * @throws VmLoadException when the kernel would reject the program
     */
    public VmProgram load(long[] insns) {
        Objects.requireNonNull(insns, "insns");
        int n = insns.length;
        if (n == 0) {
            throw new VmLoadException(-1, LinuxErrno.EINVAL, "empty program");
        }
        if (n > MAX_INSNS) {
            throw new VmLoadException(-1, LinuxErrno.E2BIG, "program of " + n + " instructions is too large (max "
                    + MAX_INSNS + ")");
        }
        long[] words = insns.clone();
        int[] code = new int[n];
        long[] k = new long[n];
        boolean[] second = new boolean[n];
        List<VmMap> mapList = new ArrayList<>();
        BitSet callbacks = new BitSet();
        VmHelper[] table = helpers.array();
        for (int pc = 0; pc < n; pc++) {
            long w = words[pc];
            code[pc] = (int) w;
            k[pc] = (int) (w >>> 32);
            if (second[pc]) {
                continue;
            }
            int op = (int) w & 0xff;
            int cls = cls(op);
            if (cls == LD && op == LD_IMM64) {
                if (pc + 1 >= n || (int) words[pc + 1] != 0) {
                    throw reject(pc, "invalid bpf_ld_imm64 insn");
                }
                second[pc + 1] = true;
                decodeLdImm64(pc, words, k, mapList, callbacks);
            }
        }
        for (int pc = 0; pc < n; pc++) {
            if (!second[pc]) {
                check(pc, words[pc], n, second, table);
            }
        }
        int lastCode = (int) words[n - 1] & 0xff;
        if (second[n - 1] || (lastCode != EXIT_OP && lastCode != (JMP | JA) && lastCode != (JMP32 | JA))) {
            throw reject(n - 1, "last insn is not an exit or jmp");
        }
        for (int t = callbacks.nextSetBit(0); t >= 0; t = callbacks.nextSetBit(t + 1)) {
            checkTarget(t - 1, t, n, second);
        }
        return new VmProgram(name, words, code, k, mapList.toArray(new VmMap[0]), table, callbacks, stackDepth);
    }

    private void decodeLdImm64(int pc, long[] words, long[] k, List<VmMap> mapList, BitSet callbacks) {
        long w = words[pc];
        int dst = (int) (w >>> 8) & 0xf;
        int src = (int) (w >>> 12) & 0xf;
        int imm = (int) (w >>> 32);
        int nextImm = (int) (words[pc + 1] >>> 32);
        if ((short) (w >>> 16) != 0) {
            throw reject(pc, "invalid bpf_ld_imm64 insn");
        }
        checkDst(pc, dst);
        if (src == 0) {
            k[pc] = (imm & 0xffffffffL) | (long) nextImm << 32;
            return;
        }
        if (src == PSEUDO_FUNC) {
            // add_subprog(): the address of the instruction imm + 1 after this one, a subprogram.
            long target = (long) pc + imm + 1;
            if (target < 0 || target >= words.length) {
                throw reject(pc, "call to invalid destination");
            }
            callbacks.set((int) target);
            k[pc] = target;
            return;
        }
        VmMap map;
        switch (src) {
            case PSEUDO_MAP_FD:
            case PSEUDO_MAP_VALUE:
                map = maps.byFd(imm);
                if (map == null) {
                    throw new VmLoadException(pc, 9, "fd " + imm + " is not pointing to valid bpf_map");
                }
                break;
            case PSEUDO_MAP_IDX:
            case PSEUDO_MAP_IDX_VALUE:
                map = maps.byIndex(imm);
                if (map == null) {
                    throw reject(pc, "fd_array index " + imm + " is not a valid map");
                }
                break;
            default:
                throw reject(pc, "unsupported ld_imm64 pseudo source " + src
                        + " (BTF ids are not simulated)");
        }
        boolean value = src == PSEUDO_MAP_VALUE || src == PSEUDO_MAP_IDX_VALUE;
        if (!value && nextImm != 0) {
            throw reject(pc, "unrecognized bpf_ld_imm64 insn");
        }
        if (value) {
            if (map.type() != MapType.ARRAY) {
                throw reject(pc, "no direct value access support for this map type");
            }
            if (nextImm < 0 || nextImm >= map.valueSize()) {
                throw reject(pc, "invalid access to map value pointer, value_size=" + map.valueSize() + " off="
                        + Integer.toUnsignedString(nextImm));
            }
        }
        int index = mapList.indexOf(map);
        if (index < 0) {
            index = mapList.size();
            mapList.add(map);
        }
        k[pc] = index;
        k[pc + 1] = nextImm;
    }

    private void check(int pc, long w, int n, boolean[] second, VmHelper[] table) {
        int op = (int) w & 0xff;
        int dst = (int) (w >>> 8) & 0xf;
        int src = (int) (w >>> 12) & 0xf;
        int off = (short) (w >>> 16);
        int imm = (int) (w >>> 32);
        switch (cls(op)) {
            case ALU:
            case ALU64:
                checkAlu(pc, op, dst, src, off, imm);
                return;
            case JMP:
            case JMP32:
                checkJmp(pc, op, dst, src, off, imm, n, second, table);
                return;
            case LDX:
                if (mode(op) != MEM && !(mode(op) == MEMSX && size(op) != DW)) {
                    throw unknown(pc, op);
                }
                if (imm != 0) {
                    throw reject(pc, "BPF_LDX uses reserved fields");
                }
                checkDst(pc, dst);
                checkSrc(pc, src);
                return;
            case ST:
                if (mode(op) != MEM) {
                    throw unknown(pc, op);
                }
                if (src != 0) {
                    throw reject(pc, "BPF_ST uses reserved fields");
                }
                checkSrc(pc, dst);
                return;
            case STX:
                checkStx(pc, op, dst, src, imm);
                return;
            default:
                if (op != LD_IMM64) {
                    checkLd(pc, op, dst, src, off);
                }
        }
    }

    private void checkAlu(int pc, int op, int dst, int src, int off, int imm) {
        boolean is64 = cls(op) == ALU64;
        int aluOp = op(op);
        if (aluOp == END) {
            if (is64 && source(op) != 0) {
                throw unknown(pc, op);
            }
            if (src != 0 || off != 0 || (imm != 16 && imm != 32 && imm != 64)) {
                throw reject(pc, "BPF_END uses reserved fields");
            }
            checkDst(pc, dst);
            return;
        }
        if (aluOp > END) {
            throw unknown(pc, op);
        }
        if (aluOp == NEG) {
            if (source(op) != K || src != 0 || off != 0 || imm != 0) {
                throw reject(pc, "BPF_NEG uses reserved fields");
            }
            checkDst(pc, dst);
            return;
        }
        boolean offOk;
        if (aluOp == DIV || aluOp == MOD) {
            offOk = off == 0 || off == OFF_SIGNED;
        } else if (aluOp == MOV && source(op) == X) {
            offOk = off == 0 || off == 8 || off == 16 || (is64 && off == 32);
        } else {
            offOk = off == 0;
        }
        if (source(op) == K ? src != 0 || !offOk : imm != 0 || !offOk) {
            throw reject(pc, "BPF_ALU uses reserved fields");
        }
        checkDst(pc, dst);
        if (source(op) == X) {
            checkSrc(pc, src);
        } else if ((aluOp == DIV || aluOp == MOD) && imm == 0) {
            throw reject(pc, "div by zero");
        } else if ((aluOp == LSH || aluOp == RSH || aluOp == ARSH) && !allowOutOfRangeShifts
                && (imm < 0 || imm >= (is64 ? 64 : 32))) {
            throw reject(pc, "invalid shift " + imm);
        }
    }

    private void checkJmp(int pc, int op, int dst, int src, int off, int imm, int n, boolean[] second,
            VmHelper[] table) {
        boolean is32 = cls(op) == JMP32;
        int jop = op(op);
        switch (jop) {
            case JA:
                if (source(op) != K || dst != 0 || src != 0 || (is32 ? off != 0 : imm != 0)) {
                    throw reject(pc, "BPF_JA uses reserved fields");
                }
                checkTarget(pc, (long) pc + (is32 ? imm : off) + 1, n, second);
                return;
            case CALL:
                if (allowCallx && !is32 && source(op) == X) {
                    if (src != 0 || off != 0 || imm != 0) {
                        throw reject(pc, "callx uses reserved fields");
                    }
                    checkSrc(pc, dst);
                    return;
                }
                if (is32 || source(op) != K) {
                    throw unknown(pc, op);
                }
                checkCall(pc, dst, src, off, imm, n, second, table);
                return;
            case EXIT:
                if (is32 || source(op) != K) {
                    throw unknown(pc, op);
                }
                if (dst != 0 || src != 0 || off != 0 || imm != 0) {
                    throw reject(pc, "BPF_EXIT uses reserved fields");
                }
                return;
            case 0xe0:
                // may_goto (BPF_JMP | BPF_JCOND, src_reg BPF_MAY_GOTO = 0).
                if (is32 || source(op) != K) {
                    throw unknown(pc, op);
                }
                if (dst != 0 || src != 0 || imm != 0) {
                    throw reject(pc, "invalid may_goto imm " + imm);
                }
                checkTarget(pc, (long) pc + off + 1, n, second);
                return;
            case 0xf0:
                throw unknown(pc, op);
            default:
                if (source(op) == K ? src != 0 : imm != 0) {
                    throw reject(pc, "BPF_JMP/JMP32 uses reserved fields");
                }
                checkSrc(pc, dst);
                if (source(op) == X) {
                    checkSrc(pc, src);
                }
                checkTarget(pc, (long) pc + off + 1, n, second);
        }
    }

    private static void checkCall(int pc, int dst, int src, int off, int imm, int n, boolean[] second,
            VmHelper[] table) {
        if (dst != 0 || off != 0) {
            throw reject(pc, "BPF_CALL uses reserved fields");
        }
        switch (src) {
            case 0:
                if (imm > 0 && imm < table.length && table[imm] != null) {
                    return;
                }
                Helper known = Helper.byId(imm);
                if (known == null) {
                    throw reject(pc, "invalid func unknown#" + imm);
                }
                throw reject(pc, "program of this type cannot use helper " + known.cName() + "#" + imm);
            case PSEUDO_CALL:
                checkTarget(pc, (long) pc + imm + 1, n, second);
                return;
            case PSEUDO_KFUNC_CALL:
                throw reject(pc, "calling kernel function " + imm + " is not supported by the simulator");
            default:
                throw reject(pc, "BPF_CALL uses reserved fields");
        }
    }

    private static void checkStx(int pc, int op, int dst, int src, int imm) {
        if (mode(op) == MEM) {
            if (imm != 0) {
                throw reject(pc, "BPF_STX uses reserved fields");
            }
            checkSrc(pc, dst);
            checkSrc(pc, src);
            return;
        }
        if (mode(op) != ATOMIC) {
            throw unknown(pc, op);
        }
        checkSrc(pc, dst);
        checkSrc(pc, src);
        if (imm == LOAD_ACQ) {
            checkDst(pc, dst);
            return;
        }
        if (imm == STORE_REL) {
            return;
        }
        boolean rmw = imm == ATOMIC_ADD || imm == ATOMIC_OR || imm == ATOMIC_AND || imm == ATOMIC_XOR;
        boolean fetching = imm == (ATOMIC_ADD | FETCH) || imm == (ATOMIC_OR | FETCH) || imm == (ATOMIC_AND | FETCH)
                || imm == (ATOMIC_XOR | FETCH) || imm == XCHG || imm == CMPXCHG;
        if (!rmw && !fetching) {
            throw reject(pc, "BPF_ATOMIC uses invalid atomic opcode " + String.format("%02x", imm));
        }
        if (size(op) != W && size(op) != DW) {
            throw reject(pc, "invalid atomic operand size");
        }
        if (fetching) {
            checkDst(pc, imm == CMPXCHG ? 0 : src);
        }
    }

    private static void checkLd(int pc, int op, int dst, int src, int off) {
        int mode = mode(op);
        if ((mode == ABS || mode == IND) && size(op) != DW) {
            if (dst != 0 || off != 0 || (mode == ABS && src != 0)) {
                throw reject(pc, "BPF_LD_[ABS|IND] uses reserved fields");
            }
            checkSrc(pc, src);
            return;
        }
        throw unknown(pc, op);
    }

    private static void checkTarget(int pc, long target, int n, boolean[] second) {
        if (target < 0 || target >= n) {
            throw reject(pc, "jump out of range from insn " + pc + " to " + target);
        }
        if (second[(int) target]) {
            throw reject(pc, "jump into the middle of ldimm64 insn " + (target - 1));
        }
    }

    private static void checkSrc(int pc, int reg) {
        if (reg > 10) {
            throw reject(pc, "R" + reg + " is invalid");
        }
    }

    private static void checkDst(int pc, int reg) {
        checkSrc(pc, reg);
        if (reg == 10) {
            throw reject(pc, "frame pointer is read only");
        }
    }

    private static VmLoadException unknown(int pc, int op) {
        return reject(pc, "unknown opcode " + String.format("%02x", op));
    }

    private static VmLoadException reject(int pc, String message) {
        return new VmLoadException(pc, LinuxErrno.EINVAL, message);
    }
}
