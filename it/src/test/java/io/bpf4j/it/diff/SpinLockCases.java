package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Register.*;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import java.util.List;

/**
 * The verifier's spin lock rules, each on both sides of the line: the lock's argument (a map
 * value at the exact offset of a {@code struct bpf_spin_lock} its BTF declares), one region at a
 * time closed by an unlock of the same value, no calls or exit inside a region, and no direct
 * access to the lock word. The map is a one-element array of
 * {@code struct val { u32 a; struct bpf_spin_lock lock; u64 b; }} (the lock at offset 4).
 */
final class SpinLockCases {
    private static final MapSpec VAL = MapSpec.of(MapType.ARRAY, 4, 16, 1);

    private SpinLockCases() {
    }

    /** Looks up element 0 of map {@code m} into {@code r} (jumping to "out" on NULL). */
    private static Asm lookup(Asm a, int m, io.bpf4j.api.asm.Register r) {
        return a.stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out").mov64(r, R0);
    }

    /** A random word in r7, for branches both verifiers walk both ways. */
    private static Asm coin() {
        return new Asm().call(Helper.GET_PRANDOM_U32).mov64(R7, R0);
    }

    private static Asm lock(Asm a, io.bpf4j.api.asm.Register r, Helper h) {
        return a.mov64(R1, r).add64(R1, 4).call(h);
    }

    private static long[] end(Asm a) {
        return a.label("out").mov64(R0, 2).exit().toArray();
    }

    private static void add(List<Object[]> c, String want, String name, VerifierCase.Prog p) {
        c.add(new Object[] {want, new VerifierCase("spin lock: " + name, ProgramType.XDP, p, VAL).valueBtf(true)});
    }

    static void cases(List<Object[]> c) {
        add(c, "ok", "an increment inside a region", m -> end(lock(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK)
                .ldxw(R2, R6, 0).add64(R2, 1).stxw(R6, 0, R2).ldxdw(R3, R6, 8), R6, Helper.SPIN_UNLOCK)));
        // A hash map: an array lookup of a constant key in bounds is never NULL on Linux 6.18.
        c.add(new Object[] {"EACCES", new VerifierCase("spin lock: the lock of a value that may be NULL", ProgramType.XDP,
                m -> new Asm().stw(R10, -4, 0).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, m[0]).call(Helper.MAP_LOOKUP_ELEM)
                        .mov64(R1, R0).call(Helper.SPIN_LOCK).mov64(R0, 2).exit().toArray(),
                MapSpec.of(MapType.HASH, 4, 16, 1)).valueBtf(true)});
        add(c, "EACCES", "a lock on the stack", m -> new Asm().stdw(R10, -8, 0).mov64(R1, R10).add64(R1, -8)
                .call(Helper.SPIN_LOCK).mov64(R0, 2).exit().toArray());
        add(c, "EINVAL", "the lock at the wrong offset", m -> end(lookup(new Asm(), m[0], R6).mov64(R1, R6).call(Helper.SPIN_LOCK)
                .mov64(R1, R6).call(Helper.SPIN_UNLOCK)));
        add(c, "EINVAL", "the lock at a variable offset", m -> end(lookup(new Asm(), m[0], R6).ldxw(R2, R6, 0).and64(R2, 4)
                .mov64(R1, R6).add64(R1, R2).call(Helper.SPIN_LOCK).mov64(R1, R6).add64(R1, 4).call(Helper.SPIN_UNLOCK)));
        c.add(new Object[] {"EINVAL", new VerifierCase("spin lock: a map without BTF", ProgramType.XDP,
                m -> end(lock(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK), R6, Helper.SPIN_UNLOCK)), VAL)});
        c.add(new Object[] {"EINVAL", new VerifierCase("spin lock: a value whose BTF has no lock", ProgramType.XDP,
                m -> end(lock(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK), R6, Helper.SPIN_UNLOCK)), VAL).valueBtf(false)});
        add(c, "EINVAL", "two locks taken", m -> end(lock(lock(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK),
                R6, Helper.SPIN_LOCK), R6, Helper.SPIN_UNLOCK)));
        add(c, "EINVAL", "an unlock without a lock", m -> end(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_UNLOCK)));
        add(c, "EINVAL", "an unlock through another lookup's pointer", m -> end(lock(lock(lookup(lookup(new Asm(), m[0], R6),
                m[0], R7), R6, Helper.SPIN_LOCK), R7, Helper.SPIN_UNLOCK)));
        add(c, "ok", "an unlock through a copy of the locking pointer", m -> end(lock(lock(lookup(new Asm(), m[0], R6)
                .mov64(R7, R6), R6, Helper.SPIN_LOCK), R7, Helper.SPIN_UNLOCK)));
        add(c, "EINVAL", "a helper called inside a region", m -> end(lock(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK)
                .call(Helper.KTIME_GET_NS), R6, Helper.SPIN_UNLOCK)));
        add(c, "EINVAL", "an exit inside a region", m -> end(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK)));
        c.add(new Object[] {"EINVAL", new VerifierCase("spin lock: a tail call inside a region", ProgramType.XDP,
                m -> end(lock(lock(lookup(new Asm().mov64(R9, R1), m[0], R6), R6, Helper.SPIN_LOCK)
                        .mov64(R1, R9).ldMapFd(R2, m[1]).mov64(R3, 0).call(Helper.TAIL_CALL), R6, Helper.SPIN_UNLOCK)),
                VAL, MapSpec.of(MapType.PROG_ARRAY, 4, 4, 1)).valueBtf(true)});
        add(c, "EACCES", "a load of the lock word", m -> end(lookup(new Asm(), m[0], R6).ldxw(R2, R6, 4)));
        add(c, "EACCES", "a store into the lock word", m -> end(lookup(new Asm(), m[0], R6).stw(R6, 4, 0)));
        add(c, "EACCES", "an 8-byte load over the lock word", m -> end(lookup(new Asm(), m[0], R6).ldxdw(R2, R6, 0)));
        add(c, "EACCES", "an atomic add on the lock word", m -> end(lookup(new Asm(), m[0], R6).mov64(R2, 1).atomicAdd32(R6, 4, R2)));
        add(c, "ok", "a region on a value addressed directly", m -> new Asm().ldMapValue(R6, m[0], 0).mov64(R1, R6).add64(R1, 4)
                .call(Helper.SPIN_LOCK).stw(R6, 0, 1).mov64(R1, R6).add64(R1, 4).call(Helper.SPIN_UNLOCK).mov64(R0, 2).exit().toArray());
        add(c, "ok", "loads beside the lock word", m -> end(lookup(new Asm(), m[0], R6).ldxw(R2, R6, 0).ldxdw(R2, R6, 8)));
        add(c, "EACCES", "an update from a value holding a lock", m -> end(lookup(new Asm(), m[0], R6).ldMapFd(R1, m[0])
                .mov64(R2, R10).add64(R2, -4).mov64(R3, R6).mov64(R4, 0).call(Helper.MAP_UPDATE_ELEM)));
        add(c, "ok", "a lock taken and released on one branch", m -> end(lock(lock(lookup(coin(), m[0], R6)
                .jeq(R7, 0, "skip"), R6, Helper.SPIN_LOCK), R6, Helper.SPIN_UNLOCK).label("skip")));
        add(c, "ok", "lock and unlock under the same condition", m -> end(lock(lock(lookup(coin(), m[0], R6)
                .jeq(R7, 0, "a"), R6, Helper.SPIN_LOCK).label("a").ldxw(R2, R6, 8).jeq(R7, 0, "out"), R6, Helper.SPIN_UNLOCK)));
        add(c, "EINVAL", "a lock taken on one branch, released on both", m -> end(lock(lock(lookup(coin(), m[0], R6)
                .jeq(R7, 0, "a"), R6, Helper.SPIN_LOCK).label("a").ldxw(R2, R6, 8), R6, Helper.SPIN_UNLOCK)));
        add(c, "ok", "a static function called inside a region", m -> lock(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK)
                .callLocal("f"), R6, Helper.SPIN_UNLOCK).label("out").mov64(R0, 2).exit()
                .label("f").mov64(R0, 0).exit().toArray());
        c.add(new Object[] {"EINVAL", new VerifierCase("spin lock: a global function called inside a region", ProgramType.XDP,
                m -> lock(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK).callLocal("f"), R6, Helper.SPIN_UNLOCK)
                        .label("out").mov64(R0, 2).exit().label("f").mov64(R0, 0).exit().toArray(), VAL).valueBtf(true).withGlobalFuncs()});
        c.add(new Object[] {"ok", new VerifierCase("spin lock: a global function called after a region", ProgramType.XDP,
                m -> lock(lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK), R6, Helper.SPIN_UNLOCK).callLocal("f")
                        .label("out").mov64(R0, 2).exit().label("f").mov64(R0, 0).exit().toArray(), VAL).valueBtf(true).withGlobalFuncs()});
        add(c, "ok", "a region closed by a static function", m -> lock(lookup(new Asm(), m[0], R6), R6, Helper.SPIN_LOCK)
                .mov64(R1, R6).callLocal("f").label("out").mov64(R0, 2).exit()
                .label("f").add64(R1, 4).call(Helper.SPIN_UNLOCK).mov64(R0, 0).exit().toArray());
        c.add(new Object[] {"EINVAL", new VerifierCase("spin lock: LD_ABS inside a region", ProgramType.SCHED_CLS,
                m -> lock(lock(lookup(new Asm().mov64(R9, R1), m[0], R8), R8, Helper.SPIN_LOCK).mov64(R6, R9)
                        .ldAbs(io.bpf4j.api.asm.Size.B, 0), R8, Helper.SPIN_UNLOCK).label("out").mov64(R0, 0).exit().toArray(),
                VAL).valueBtf(true)});
        c.add(new Object[] {"EINVAL", new VerifierCase("spin lock: a kprobe using a value with a lock", ProgramType.KPROBE,
                m -> lookup(new Asm(), m[0], R6).label("out").mov64(R0, 0).exit().toArray(), VAL).valueBtf(true)});
        c.add(new Object[] {"EINVAL", new VerifierCase("spin lock: a socket filter using a value with a lock", ProgramType.SOCKET_FILTER,
                m -> lookup(new Asm(), m[0], R6).label("out").mov64(R0, 0).exit().toArray(), VAL).valueBtf(true)});
    }
}
