package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Register.*;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import java.util.Random;

/**
 * Valid programs of the kinds the verifier judges (packet access behind a {@code data_end}
 * check, map values behind a NULL check and indexed by masked values, ring buffer reservations,
 * context fields, spills, bounded loops, return values), each from a seed, and random mutations of
 * them: an offset, immediate, register, size or comparison changed, an instruction replaced by a
 * no-op jump, or the program type changed.
 */
final class VerifierMutants {
    static final MapSpec HASH = MapSpec.of(MapType.HASH, 4, 16, 8);
    static final MapSpec RING = MapSpec.of(MapType.RINGBUF, 0, 0, 4096);
    private static final ProgramType[] SKB = {ProgramType.SCHED_CLS, ProgramType.CGROUP_SKB, ProgramType.SOCKET_FILTER};
    private static final ProgramType[] ANY_TYPE = {ProgramType.XDP, ProgramType.SCHED_CLS, ProgramType.CGROUP_SKB,
        ProgramType.SOCKET_FILTER, ProgramType.KPROBE, ProgramType.TRACEPOINT, ProgramType.RAW_TRACEPOINT};

    private VerifierMutants() {
    }

    /** The valid program of a seed, unmutated. */
    static VerifierCase base(long seed) {
        Random r = new Random(seed);
        switch (r.nextInt(10)) {
            case 7: return helperBuffers(r);
            case 8: return skbLoad(r);
            case 9: return subprog(r);
            case 0: return packet(r);
            case 1: return mapValue(r);
            case 2: return ring(r);
            case 3: return ctx(r);
            case 4: return spill(r);
            case 5: return loop(r);
            default: return ret(r);
        }
    }

    /** The program of a seed with one or two mutations. */
    static VerifierCase mutant(long seed) {
        VerifierCase b = base(seed);
        Random r = new Random(seed ^ 0x5deece66dL);
        // One program in five stays valid, so the kernel accepts a fair share.
        int muts = r.nextInt(5) == 0 ? 0 : 1;
        long[][] keep = new long[1][];
        ProgramType type = b.type;
        int[] plan = new int[Math.max(muts, 1) * 4];
        for (int i = 0; i < plan.length; i++) plan[i] = r.nextInt(1 << 16);
        if (muts > 0 && r.nextInt(10) == 0) type = ANY_TYPE[r.nextInt(ANY_TYPE.length)];
        VerifierCase m = new VerifierCase(b.name + " mutated", type, fds -> {
            long[] p = b.prog.build(fds).clone();
            for (int k = 0; k < muts; k++) mutate(p, plan[k * 4], plan[k * 4 + 1], plan[k * 4 + 2], plan[k * 4 + 3]);
            keep[0] = p;
            return p;
        }, b.maps);
        if (type == b.type) m.eat(b.eat);
        return m;
    }

    private static void mutate(long[] p, int where, int what, int v1, int v2) {
        int i = where % p.length;
        long x = p[i];
        int code = (int) x & 0xff;
        int regs = (int) (x >>> 8) & 0xff;
        int off = (short) (x >>> 16);
        int imm = (int) (x >>> 32);
        int cls = code & 7;
        switch (what % 7) {
            case 0: // offset
                off += (v1 % 17) - 8;
                break;
            case 1: // immediate
                int[] edges = {0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 64, 255, 256, 4095, 0x7fffffff};
                imm = (v1 & 1) == 0 ? edges[v2 % edges.length] : imm + (v2 % 9) - 4;
                break;
            case 2: // a register
                if ((v1 & 1) == 0) regs = (regs & 0xf0) | (v2 % 11);
                else regs = (regs & 0x0f) | ((v2 % 11) << 4);
                break;
            case 3: // access size
                if (cls == 1 || cls == 2 || cls == 3) code = (code & ~0x18) | ((v1 & 3) << 3);
                else off += 1;
                break;
            case 4: // comparison
                if ((cls == 5 || cls == 6) && (code & 0xf0) != 0 && (code & 0xf0) != 0x80 && (code & 0xf0) != 0x90) {
                    int[] ops = {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0};
                    code = (code & 0x0f) | ops[v1 % ops.length];
                } else {
                    imm ^= 1;
                }
                break;
            case 5: // a no-op in its place
                if (code != 0 && ((i == 0) || ((int) p[i - 1] & 0xff) != 0x18)) {
                    p[i] = 0x05;
                    return;
                }
                break;
            default: // ALU operation
                if (cls == 4 || cls == 7) {
                    int[] ops = {0x00, 0x10, 0x20, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0};
                    code = (code & 0x0f) | ops[v1 % ops.length];
                } else {
                    off -= 1;
                }
        }
        p[i] = (code & 0xffL) | ((long) (regs & 0xff) << 8) | ((long) (off & 0xffff) << 16) | ((long) imm << 32);
    }

    private static VerifierCase packet(Random r) {
        boolean xdp = r.nextBoolean();
        ProgramType t = xdp ? ProgramType.XDP : r.nextBoolean() ? ProgramType.SCHED_CLS : ProgramType.CGROUP_SKB;
        int dataOff = xdp ? 0 : 76;
        int endOff = xdp ? 4 : 80;
        int need = 1 + r.nextInt(40);
        int size = 1 << r.nextInt(4);
        int off = r.nextInt(Math.max(1, need - size + 1));
        boolean write = t != ProgramType.CGROUP_SKB && r.nextBoolean();
        boolean endLeft = r.nextBoolean();
        int ret = t == ProgramType.CGROUP_SKB ? 1 : 2;
        return new VerifierCase("packet " + need, t, m -> {
            Asm a = new Asm().ldxw(R2, R1, dataOff).ldxw(R3, R1, endOff).mov64(R4, R2).add64(R4, need);
            if (endLeft) a.jlt(R3, R4, "out");
            else a.jgt(R4, R3, "out");
            if (size <= need) {
                if (size == 1) a.ldxb(R0, R2, off);
                else if (size == 2) a.ldxh(R0, R2, off);
                else if (size == 4) a.ldxw(R0, R2, off);
                else a.ldxdw(R0, R2, off);
            }
            if (write) a.stb(R2, need - 1, 7);
            return a.label("out").mov64(R0, ret).exit().toArray();
        });
    }

    private static VerifierCase mapValue(Random r) {
        int mask = (1 << r.nextInt(4)) - 1;
        int off = r.nextInt(8);
        boolean copy = r.nextBoolean();
        int key = r.nextInt(4);
        return new VerifierCase("map value", ProgramType.XDP, m -> {
            Asm a = new Asm().stw(R10, -4, key).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM);
            if (copy) a.mov64(R6, R0);
            a.jeq(R0, 0, "out").ldxw(R1, R0, off).and64(R1, mask).add64(R0, R1).stb(R0, 0, 1).ldxw(R3, R0, 4);
            return a.label("out").mov64(R0, 2).exit().toArray();
        }, HASH);
    }

    private static VerifierCase ring(Random r) {
        int size = 8 + 8 * r.nextInt(4);
        boolean discard = r.nextBoolean();
        return new VerifierCase("ring buffer", ProgramType.XDP, m -> new Asm()
                .ldMapFd(R1, m[0]).mov64(R2, size).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, "out")
                .stdw(R0, size - 8, 1).mov64(R1, R0).mov64(R2, 0).call(discard ? Helper.RINGBUF_DISCARD : Helper.RINGBUF_SUBMIT)
                .label("out").mov64(R0, 2).exit().toArray(), RING);
    }

    private static VerifierCase ctx(Random r) {
        ProgramType t = SKB[r.nextInt(SKB.length)];
        int[] fields = {0, 4, 8, 16, 32, 36, 40, 48, 52, 64, 68};
        int f = fields[r.nextInt(fields.length)];
        boolean write = r.nextBoolean();
        int ret = t == ProgramType.CGROUP_SKB ? 1 : 0;
        return new VerifierCase("ctx " + f, t, m -> {
            Asm a = new Asm().ldxw(R2, R1, f);
            if (write) a.stxw(R1, 48, R2);
            return a.mov64(R0, ret).exit().toArray();
        });
    }

    private static VerifierCase spill(Random r) {
        int slot = -8 * (1 + r.nextInt(8));
        return new VerifierCase("spill", ProgramType.XDP, m -> new Asm()
                .stxdw(R10, slot, R1).stdw(R10, slot - 8, 5).ldxdw(R2, R10, slot).ldxw(R3, R2, 12)
                .ldxdw(R4, R10, slot - 8).add64(R4, R10).mov64(R0, 2).exit().toArray());
    }

    private static VerifierCase loop(Random r) {
        int n = 2 + r.nextInt(30);
        return new VerifierCase("loop " + n, ProgramType.XDP, m -> new Asm()
                .stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").mov64(R1, 0).label("loop").mov64(R2, R0).add64(R2, R1).stb(R2, 0, 1)
                .add64(R1, 1).jlt(R1, Math.min(n, 16), "loop").label("out").mov64(R0, 2).exit().toArray(), HASH);
    }

    /** Helpers that read or fill a stack buffer, with its size in the next register. */
    private static VerifierCase helperBuffers(Random r) {
        int size = 8 * (1 + r.nextInt(4));
        int which = 1 + r.nextInt(3);
        return new VerifierCase("helper buffer " + which, ProgramType.KPROBE, m -> {
            Asm a = new Asm().stdw(R10, -8, 0).stdw(R10, -16, 0).stdw(R10, -24, 0).stdw(R10, -32, 0).mov64(R1, R10).add64(R1, -size);
            switch (which) {
                case 1: a.mov64(R2, size).call(Helper.GET_CURRENT_COMM); break;
                case 2: a.mov64(R2, size).call(Helper.TRACE_PRINTK); break;
                default: a.mov64(R2, R1).ldMapFd(R1, m[0]).mov64(R3, size).mov64(R4, 0).call(Helper.RINGBUF_OUTPUT);
            }
            return a.mov64(R0, 0).exit().toArray();
        }, RING);
    }

    /** {@code bpf_skb_load_bytes} into the stack, then a read of what it wrote. */
    private static VerifierCase skbLoad(Random r) {
        int size = 1 + r.nextInt(16);
        return new VerifierCase("skb_load_bytes " + size, ProgramType.SCHED_CLS, m -> new Asm()
                .mov64(R2, 0).mov64(R3, R10).add64(R3, -16).mov64(R4, size).call(Helper.SKB_LOAD_BYTES)
                .ldxb(R0, R10, -16).mov64(R0, 0).exit().toArray());
    }

    /** A bpf-to-bpf call passing a stack pointer the callee writes through. */
    private static VerifierCase subprog(Random r) {
        int off = -8 * (1 + r.nextInt(4));
        return new VerifierCase("subprogram", ProgramType.XDP, m -> new Asm()
                .mov64(R1, R10).add64(R1, off).callLocal("f").ldxdw(R0, R10, off).mov64(R0, 2).exit()
                .label("f").stdw(R1, 0, 7).mov64(R0, 0).exit().toArray());
    }

    private static VerifierCase ret(Random r) {
        boolean egress = r.nextBoolean();
        int v = r.nextInt(egress ? 4 : 2);
        return new VerifierCase("return " + v, ProgramType.CGROUP_SKB, m -> new Asm()
                .ldxw(R2, R1, 0).mov64(R0, v).jgt(R2, 100, "out").mov64(R0, egress ? 3 - v : 1 - v).label("out").exit().toArray())
                .eat(egress ? AttachType.CGROUP_INET_EGRESS : AttachType.CGROUP_INET_INGRESS);
    }
}
