package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R6;
import static io.bpf4j.api.asm.Register.R10;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.UpdateFlags;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfMember;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Maps whose value holds a {@code struct bpf_spin_lock} (described by BTF): which types may
 * have one, {@code BPF_F_LOCK} lookups and updates from user space and from a program, the lock
 * word never copied in or out, and a program that takes the lock around an increment.
 */
class SpinLockMapsTest {
    /** {@code struct val { u32 a; struct bpf_spin_lock lock; u64 b; }}: the lock at offset 4. */
    private static byte[] btf(int[] ids) {
        BtfBuilder b = new BtfBuilder();
        int u32 = b.addInt("unsigned int", 4, 0);
        int u64 = b.addInt("long long unsigned int", 8, 0);
        int lock = b.addStruct("bpf_spin_lock", 4, List.of(new BtfMember("val", u32, 0, 0)));
        int val = b.addStruct("val", 16, List.of(new BtfMember("a", u32, 0, 0), new BtfMember("lock", lock, 32, 0),
                new BtfMember("b", u64, 64, 0)));
        ids[0] = u32;
        ids[1] = val;
        return b.marshal();
    }

    private static byte[] value(int a, int lockWord, long b) {
        return Bytes.concat(Bytes.k(a), Bytes.k(lockWord), Bytes.v(b));
    }

    @ParameterizedTest
    @EnumSource(value = MapType.class, names = {"HASH", "ARRAY", "LRU_HASH", "PERCPU_ARRAY", "PERCPU_HASH", "LPM_TRIE"})
    void spinLockValues(MapType t) {
        Scenario s = new Scenario("spin lock in a " + t + " value");
        int[] ids = new int[2];
        byte[] blob = btf(ids);
        MapSpec spec = MapSpec.of(t, t == MapType.LPM_TRIE ? 8 : 4, 16, 4)
                .withFlags(t == MapType.LPM_TRIE ? io.bpf4j.api.MapFlags.NO_PREALLOC
                        : MapOps.isHashLike(t) ? io.bpf4j.api.MapFlags.ZERO_SEED : 0);
        s.specs.put("map#1", spec);
        s.step("create " + t + " with value struct { u32 a; struct bpf_spin_lock lock; u64 b; }", c -> {
            int btf = c.bpf.btfLoad(blob, 0).fd();
            try {
                c.def("map#1", c.bpf.mapCreate(spec.withBtf(btf, t == MapType.LPM_TRIE ? 0 : ids[0], ids[1])));
            } finally {
                c.bpf.closeFd(btf);
            }
            return "created";
        });
        if (t != MapType.HASH && t != MapType.ARRAY) {
            Diff.assertSame(s);
            return;
        }
        MapOps m = new MapOps(s);
        m.update("map#1", Bytes.k(1), value(5, 0x7777, 9), UpdateFlags.ANY);
        m.lookup("map#1", Bytes.k(1));
        m.lookup("map#1", Bytes.k(1), UpdateFlags.LOCK);
        m.update("map#1", Bytes.k(1), value(6, 0x1, 10), UpdateFlags.LOCK);
        m.update("map#1", Bytes.k(2), value(7, 0x1, 11), UpdateFlags.LOCK | UpdateFlags.EXIST);
        m.update("map#1", Bytes.k(2), value(7, 0x1, 11), UpdateFlags.LOCK | UpdateFlags.NOEXIST);
        m.lookup("map#1", Bytes.k(1), UpdateFlags.LOCK);
        s.step("load XDP: lock, a += 1, unlock; then update key 3 with BPF_F_LOCK", c -> {
            long[] insns = new Asm()
                    .stw(R10, -4, 1).ldMapFd(R1, c.fd("map#1")).mov64(R2, R10).add64(R2, -4).call(Helper.MAP_LOOKUP_ELEM)
                    .jeq(R0, 0, "out").mov64(R6, R0)
                    .mov64(R1, R6).add64(R1, 4).call(Helper.SPIN_LOCK)
                    .ldxw(R1, R6, 0).add64(R1, 1).stxw(R6, 0, R1)
                    .mov64(R1, R6).add64(R1, 4).call(Helper.SPIN_UNLOCK)
                    .stdw(R10, -24, 0x4242).stdw(R10, -16, 0x33).stw(R10, -4, 3)
                    .ldMapFd(R1, c.fd("map#1")).mov64(R2, R10).add64(R2, -4).mov64(R3, R10).add64(R3, -24)
                    .mov64(R4, (int) UpdateFlags.LOCK).call(Helper.MAP_UPDATE_ELEM)
                    .label("out").mov64(R0, 2).exit().toArray();
            c.def("prog#1", c.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL")).fd());
            return "loaded";
        });
        s.step("test run", c -> "retval=" + c.bpf.progTestRun(c.fd("prog#1"), TestRunSpec.ofData(new byte[64])).retval());
        m.lookup("map#1", Bytes.k(1));
        m.lookup("map#1", Bytes.k(3));
        m.dump("map#1", true);
        if (t == MapType.HASH) m.lookupAndDelete("map#1", Bytes.k(1), UpdateFlags.LOCK);
        m.updateBatch("map#1", Bytes.k(2), value(8, 0x5, 12), 1, UpdateFlags.LOCK);
        m.lookupBatch("map#1", false, "c", true, 4, true);
        Diff.assertSame(s);
    }
}
