package io.bpf4j.it.diff;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Opcodes;
import io.bpf4j.api.asm.Register;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfExt;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Programs with callbacks, built the same way for every backend: a main function whose first
 * instructions load the callbacks' addresses into {@code r9}, {@code r8}, ... (an {@code ld_imm64}
 * of {@code BPF_PSEUDO_FUNC} each), the callbacks after it, and the {@code func_info} the kernel
 * needs to take a function's address (every function static). Results go to an array map of one
 * element of {@link #SLOTS} 64-bit slots, which the main function stores with direct value access.
 */
final class CallbackProgs {
    private CallbackProgs() {
    }

    static final int SLOTS = 32;
    private static final Register[] FN_REGS = {Register.R9, Register.R8, Register.R7};

    /** Builds the main function given the results map's descriptor and the callbacks' registers. */
    interface Main {
        Asm build(Asm a, int out);
    }

    /** A loaded program with its results map; closes both. */
    static final class Loaded implements AutoCloseable {
        final BpfMap out;
        final BpfProgram prog;
        private final BpfBtf btf;

        Loaded(BpfMap out, BpfProgram prog, BpfBtf btf) {
            this.out = out;
            this.prog = prog;
            this.btf = btf;
        }

        /** One XDP test run; the slots after it. */
        long[] run() {
            prog.testRun(TestRunSpec.ofData(new byte[64]));
            byte[] v = new byte[SLOTS * 8];
            out.lookup(new byte[4], v);
            ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
            long[] r = new long[SLOTS];
            for (int i = 0; i < SLOTS; i++) r[i] = b.getLong(i * 8);
            return r;
        }

        @Override
        public void close() {
            prog.close();
            btf.close();
            out.close();
        }
    }

    /** Stores {@code reg} into slot {@code slot} of the results (clobbers {@code r1}). */
    static Asm store(Asm a, int out, int slot, Register reg) {
        return a.ldMapValue(Register.R1, out, slot * 8).stxdw(Register.R1, 0, reg);
    }

    static Loaded load(Bpf bpf, Main main, List<Function<Asm, Asm>> callbacks) {
        return load(bpf, main, callbacks, BtfLinkage.STATIC, true);
    }

    /**
     * Loads with the callbacks of the given linkage, or with no BTF at all.
     *
     * @param linkage the callbacks' linkage in func_info
     * @param withBtf false to load without func_info
     */
    static Loaded load(Bpf bpf, Main main, List<Function<Asm, Asm>> callbacks, BtfLinkage linkage, boolean withBtf) {
        BpfMap out = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, SLOTS * 8, 1));
        try {
            long[] first = assemble(out.fd(), main, callbacks, null);
            int mainLen = first.length - totalLength(callbacks);
            long[] insns = assemble(out.fd(), main, callbacks, mainLen);
            BtfBuilder b = new BtfBuilder();
            int intId = b.addInt("int", 4, BtfType.Int.SIGNED);
            int proto = b.addFuncProto(intId, List.of());
            List<BtfExt.FuncInfo> funcs = new ArrayList<>();
            funcs.add(new BtfExt.FuncInfo(0, b.addFunc("main", proto, BtfLinkage.STATIC)));
            int at = mainLen;
            for (int i = 0; i < callbacks.size(); i++) {
                funcs.add(new BtfExt.FuncInfo(at * 8, b.addFunc("cb" + i, proto, linkage)));
                at += callbacks.get(i).apply(new Asm()).toArray().length;
            }
            BpfBtf btf = BpfBtf.load(bpf, b.marshal());
            try {
                ProgramSpec spec = ProgramSpec.of(ProgramType.XDP, insns, "GPL");
                BpfProgram p = BpfProgram.load(bpf, withBtf ? spec.withBtf(btf.fd(), funcs, List.of()) : spec);
                return new Loaded(out, p, btf);
            } catch (RuntimeException e) {
                btf.close();
                throw e;
            }
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private static int totalLength(List<Function<Asm, Asm>> callbacks) {
        int n = 0;
        for (Function<Asm, Asm> c : callbacks) n += c.apply(new Asm()).toArray().length;
        return n;
    }

    private static long[] assemble(int out, Main main, List<Function<Asm, Asm>> callbacks, Integer mainLen) {
        Asm a = new Asm();
        int at = mainLen == null ? 0 : mainLen;
        for (int i = 0; i < callbacks.size(); i++) {
            // The i-th ld_imm64 is at 2 * i; its immediate counts from the next instruction.
            a.ldImm64(FN_REGS[i], Opcodes.PSEUDO_FUNC, mainLen == null ? 0 : at - (2 * i + 1), 0);
            at += callbacks.get(i).apply(new Asm()).toArray().length;
        }
        main.build(a, out).mov64(Register.R0, 2).exit();
        List<long[]> parts = new ArrayList<>();
        parts.add(a.toArray());
        for (Function<Asm, Asm> c : callbacks) parts.add(c.apply(new Asm()).toArray());
        int n = 0;
        for (long[] p : parts) n += p.length;
        long[] all = new long[n];
        int o = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, o, p.length);
            o += p.length;
        }
        return all;
    }
}
