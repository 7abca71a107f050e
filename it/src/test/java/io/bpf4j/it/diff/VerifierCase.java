package io.bpf4j.it.diff;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfExt;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.BpfBtf;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One program load for the verifier comparisons: the program type, the maps it uses (created
 * fresh on each side, frozen when asked) and the instructions, built from the maps' descriptors.
 */
final class VerifierCase {
    /** The instructions, given the descriptors of the case's maps in order. */
    interface Prog {
        long[] build(int[] maps);
    }

    /** What a load gave: {@code ok} or the errno's name, and the verifier log. */
    record Outcome(String result, String log) {
    }

    final String name;
    final ProgramType type;
    final Prog prog;
    final MapSpec[] maps;
    AttachType eat;
    int flags;
    boolean freeze;
    boolean funcInfo;
    /** With func_info, the functions after the first are global ({@code int f(void)}). */
    boolean globals;
    /** BTF of the first map's value: 0 none, 1 with a spin lock, 2 the same layout without one. */
    int valueBtf;

    VerifierCase(String name, ProgramType type, Prog prog, MapSpec... maps) {
        this.name = name;
        this.type = type;
        this.prog = prog;
        this.maps = maps;
    }

    VerifierCase eat(AttachType a) {
        eat = a;
        return this;
    }

    VerifierCase flags(int f) {
        flags = f;
        return this;
    }

    /** Loads with func_info describing every function as static (callbacks need it). */
    VerifierCase withFuncInfo() {
        funcInfo = true;
        return this;
    }

    /**
     * Creates the first map (16-byte values) with BTF {@code struct val { u32 a; struct bpf_spin_lock lock; u64 b; }}
     * (the lock at offset 4), or, without {@code lock}, the same layout with a plain {@code u32} there.
     */
    VerifierCase valueBtf(boolean lock) {
        valueBtf = lock ? 1 : 2;
        return this;
    }

    private static byte[] valueBtf(boolean lock, int[] ids) {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.addInt("unsigned int", 4, 0);
        int u64 = b.addInt("long long unsigned int", 8, 0);
        int mid = lock ? b.addStruct("bpf_spin_lock", 4, List.of(new BtfMember("val", u32, 0, 0))) : u32;
        ids[0] = u32;
        ids[1] = b.addStruct("val", 16, List.of(new BtfMember("a", u32, 0, 0), new BtfMember("lock", mid, 32, 0),
                new BtfMember("b", u64, 64, 0)));
        return b.marshal();
    }

    /** Loads with func_info describing the functions after the first as global, {@code int f(void)}. */
    VerifierCase withGlobalFuncs() {
        funcInfo = true;
        globals = true;
        return this;
    }

    VerifierCase frozen() {
        freeze = true;
        return this;
    }

    /** The first instruction of every function: 0 and the targets of local calls and function addresses. */
    private static TreeSet<Integer> starts(long[] insns) {
        TreeSet<Integer> s = new TreeSet<>();
        s.add(0);
        for (int i = 0; i < insns.length; i++) {
            int code = (int) insns[i] & 0xff;
            int src = (int) (insns[i] >> 12) & 0xf;
            int imm = (int) (insns[i] >> 32);
            if (code == 0x85 && src == 1 || code == 0x18 && src == 4) s.add(i + imm + 1);
            if (code == 0x18) i++;
        }
        return s;
    }

    private List<BtfExt.FuncInfo> funcList(long[] insns) {
        List<BtfExt.FuncInfo> out = new ArrayList<>();
        int id = 3;
        for (int start : starts(insns)) out.add(new BtfExt.FuncInfo(start * 8, id++));
        return out;
    }

    private static BpfBtf funcs(Bpf bpf, long[] insns, boolean globals) {
        BtfBuilder b = new BtfBuilder();
        int intId = b.addInt("int", 4, BtfType.Int.SIGNED);
        int proto = b.addFuncProto(intId, List.of());
        int n = 0;
        for (int start : starts(insns)) {
            b.addFunc("f" + n, proto, globals && n > 0 ? BtfLinkage.GLOBAL : BtfLinkage.STATIC);
            n++;
        }
        return BpfBtf.load(bpf, b.marshal());
    }

    /** Loads the case on one backend and closes what it made. */
    Outcome load(Bpf bpf) {
        int[] fds = new int[maps.length];
        int made = 0;
        try {
            for (; made < maps.length; made++) {
                MapSpec spec = maps[made];
                if (made == 0 && valueBtf != 0) {
                    int[] ids = new int[2];
                    int btf = bpf.btfLoad(valueBtf(valueBtf == 1, ids), 0).fd();
                    try {
                        fds[made] = bpf.mapCreate(spec.withBtf(btf, ids[0], ids[1]));
                    } finally {
                        bpf.closeFd(btf);
                    }
                } else {
                    fds[made] = bpf.mapCreate(spec);
                }
                if (freeze) bpf.mapFreeze(fds[made]);
            }
            long[] insns = prog.build(fds);
            ProgramSpec spec = ProgramSpec.of(type, insns, "GPL").withFlags(flags).withLog(1, 1 << 20);
            if (eat != null) spec = spec.withExpectedAttachType(eat);
            BpfBtf btf = null;
            try {
                if (funcInfo) {
                    btf = funcs(bpf, insns, globals);
                    spec = spec.withBtf(btf.fd(), funcList(insns), List.of());
                }
                LoadResult r = bpf.progLoad(spec);
                bpf.closeFd(r.fd());
                return new Outcome("ok", r.log());
            } finally {
                if (btf != null) btf.close();
            }
        } catch (VerifierException e) {
            return new Outcome(e.errno().name(), e.log());
        } catch (BpfException e) {
            return new Outcome(e.errno().name(), e.getMessage());
        } finally {
            for (int i = 0; i < made; i++) bpf.closeFd(fds[i]);
        }
    }
}
