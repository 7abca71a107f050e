package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R7;
import static io.bpf4j.api.asm.Register.R10;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import java.util.List;
import java.util.Random;

/**
 * Programs of map helper calls on one map of each simulated type: lookups (through the inner
 * map for maps of maps), updates with every flag (undefined bits and {@code BPF_F_LOCK}
 * included), deletes, push / pop / peek, ring buffer reserve (size 0 included), output and
 * query. Each call's result goes to a slot of an output array: a lookup's value or -1 for NULL,
 * a pop's or peek's value when it succeeded, else {@code r0}. The map is filled from user space
 * first and dumped after the run. Values are 8 bytes, keys 4 (the trie's 8: prefix length and
 * an IPv4 address).
 */
final class MapHelperCalls {
    private MapHelperCalls() {
    }

    enum Kind { LOOKUP, UPDATE, DELETE, PUSH, POP, PEEK, RESERVE, OUTPUT, QUERY }

    /** One call; {@code arg} is the key (or size for the ring buffer), {@code flags} the flags. */
    record Op(Kind kind, int arg, long value, long flags, boolean discard) {
        @Override
        public String toString() {
            return kind.name().toLowerCase() + "(" + arg + (kind == Kind.UPDATE || kind == Kind.PUSH ? ", v=" + value : "")
                    + (flags != 0 ? ", flags=0x" + Long.toHexString(flags) : "") + (discard ? ", discard" : "") + ")";
        }
    }

    static final MapType[] TYPES = {MapType.HASH, MapType.ARRAY, MapType.PERCPU_HASH, MapType.PERCPU_ARRAY,
        MapType.LRU_HASH, MapType.LRU_PERCPU_HASH, MapType.LPM_TRIE, MapType.QUEUE, MapType.STACK, MapType.BLOOM_FILTER,
        MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS, MapType.RINGBUF};
    private static final long[] FLAGS = {0, 0, 0, 1, 2, 4, 5, 6, 3, 8, 1L << 63, 1L << 32};
    static final int SLOTS = 12;
    private static final int MAX = 4;

    static Op random(Random r, MapType t) {
        int key = r.nextInt(MAX + 2);
        long flags = FLAGS[r.nextInt(FLAGS.length)];
        long value = 1 + r.nextInt(200);
        switch (t) {
            case QUEUE: case STACK: case BLOOM_FILTER: {
                Kind[] k = t == MapType.BLOOM_FILTER ? new Kind[] {Kind.PUSH, Kind.PEEK} : new Kind[] {Kind.PUSH, Kind.PUSH, Kind.POP, Kind.PEEK};
                Kind kind = k[r.nextInt(k.length)];
                return new Op(kind, 0, t == MapType.BLOOM_FILTER ? 1 + r.nextInt(6) : value, kind == Kind.PUSH ? flags : 0, false);
            }
            case RINGBUF: {
                int[] sizes = {0, 0, 8, 16, 4};
                Kind[] k = {Kind.RESERVE, Kind.RESERVE, Kind.OUTPUT, Kind.QUERY};
                Kind kind = k[r.nextInt(k.length)];
                long f = kind == Kind.QUERY ? r.nextInt(5) : r.nextInt(4) == 0 ? FLAGS[r.nextInt(FLAGS.length)] : 0;
                return new Op(kind, kind == Kind.OUTPUT ? new int[] {0, 4, 8}[r.nextInt(3)] : sizes[r.nextInt(sizes.length)], value,
                        f, r.nextBoolean());
            }
            case ARRAY_OF_MAPS: case HASH_OF_MAPS:
                return new Op(Kind.LOOKUP, key, 0, 0, false);
            default: {
                Kind[] k = {Kind.LOOKUP, Kind.UPDATE, Kind.UPDATE, Kind.DELETE};
                return new Op(k[r.nextInt(k.length)], key, value, flags, false);
            }
        }
    }

    static MapSpec spec(MapType t) {
        switch (t) {
            case QUEUE: case STACK: return MapSpec.of(t, 0, 8, MAX);
            // Without BPF_F_ZERO_SEED the kernel hashes with a random seed, and which absent
            // values a peek finds (false positives) would differ from run to run.
            case BLOOM_FILTER: return MapSpec.of(t, 0, 8, MAX).withFlags(MapFlags.ZERO_SEED);
            case RINGBUF: return MapSpec.of(t, 0, 0, 4096);
            case LPM_TRIE: return MapSpec.of(t, 8, 8, MAX).withFlags(MapFlags.NO_PREALLOC);
            case HASH: case PERCPU_HASH: case LRU_HASH: case LRU_PERCPU_HASH: case HASH_OF_MAPS:
                return MapSpec.of(t, 4, t == MapType.HASH_OF_MAPS ? 4 : 8, MAX).withFlags(MapFlags.ZERO_SEED);
            default: return MapSpec.of(t, 4, t == MapType.ARRAY_OF_MAPS ? 4 : 8, MAX);
        }
    }

    /** The key bytes at fp-8: a u32, or the trie's prefix length 32 and address {@code key}. */
    private static void key(Asm a, MapType t, int key) {
        if (t == MapType.LPM_TRIE) {
            a.stw(R10, -8, 32).stw(R10, -4, key);
        } else {
            a.stw(R10, -8, key).stw(R10, -4, 0);
        }
    }

    static long[] program(MapType t, List<Op> ops, int mapFd, int outFd) {
        Asm a = new Asm();
        a.stdw(R10, -16, 0).stdw(R10, -24, 0);
        int slot = 0;
        for (Op op : ops) {
            String miss = "miss" + slot;
            String store = "store" + slot;
            switch (op.kind()) {
                case LOOKUP:
                    key(a, t, op.arg());
                    a.ldMapFd(R1, mapFd).mov64(R2, R10).add64(R2, -8).call(Helper.MAP_LOOKUP_ELEM).jeq(R0, 0, miss);
                    if (t == MapType.ARRAY_OF_MAPS || t == MapType.HASH_OF_MAPS) {
                        // The inner map: its element 0.
                        a.mov64(R1, R0).mov64(R2, R10).add64(R2, -24).call(Helper.MAP_LOOKUP_ELEM).jeq(R0, 0, miss);
                    }
                    a.ldxdw(R0, R0, 0).ja(store).label(miss).mov64(R0, -1);
                    break;
                case UPDATE:
                    key(a, t, op.arg());
                    a.lddw(R0, op.value()).stxdw(R10, -16, R0);
                    a.ldMapFd(R1, mapFd).mov64(R2, R10).add64(R2, -8).mov64(R3, R10).add64(R3, -16).lddw(R4, op.flags())
                            .call(Helper.MAP_UPDATE_ELEM);
                    break;
                case DELETE:
                    key(a, t, op.arg());
                    a.ldMapFd(R1, mapFd).mov64(R2, R10).add64(R2, -8).call(Helper.MAP_DELETE_ELEM);
                    break;
                case PUSH:
                    a.lddw(R0, op.value()).stxdw(R10, -16, R0);
                    a.ldMapFd(R1, mapFd).mov64(R2, R10).add64(R2, -16).lddw(R3, op.flags()).call(Helper.MAP_PUSH_ELEM);
                    break;
                case POP: case PEEK:
                    // The program's value goes in (a bloom filter tests it); a hit shows what the buffer holds after.
                    a.lddw(R0, op.value()).stxdw(R10, -16, R0);
                    a.ldMapFd(R1, mapFd).mov64(R2, R10).add64(R2, -16)
                            .call(op.kind() == Kind.POP ? Helper.MAP_POP_ELEM : Helper.MAP_PEEK_ELEM)
                            .jne(R0, 0, store).ldxdw(R0, R10, -16);
                    break;
                case RESERVE:
                    a.ldMapFd(R1, mapFd).mov64(R2, op.arg()).lddw(R3, op.flags()).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, store);
                    a.mov64(R7, R0);
                    if (op.arg() >= 8) a.lddw(R0, op.value()).stxdw(R7, 0, R0);
                    a.mov64(R1, R7).mov64(R2, 0).call(op.discard() ? Helper.RINGBUF_DISCARD : Helper.RINGBUF_SUBMIT).mov64(R0, 1);
                    break;
                case OUTPUT:
                    a.lddw(R0, op.value()).stxdw(R10, -16, R0);
                    a.ldMapFd(R1, mapFd).mov64(R2, R10).add64(R2, -16).mov64(R3, op.arg()).lddw(R4, op.flags())
                            .call(Helper.RINGBUF_OUTPUT);
                    break;
                default:
                    a.ldMapFd(R1, mapFd).mov64(R2, (int) op.flags()).call(Helper.RINGBUF_QUERY);
                    break;
            }
            a.label(store).ldMapValue(R1, outFd, 8 * slot++).stxdw(R1, 0, R0);
        }
        return a.mov64(R0, 2).exit().toArray();
    }

    /** Fills the map from user space: keys 0..2 (maps of maps: inner maps at keys 0 and 2), values 100 + key. */
    static void fill(Scenario s, MapOps m, MapType t) {
        MapSpec spec = spec(t);
        if (t == MapType.ARRAY_OF_MAPS || t == MapType.HASH_OF_MAPS) {
            m.create("inner#1", MapSpec.of(MapType.ARRAY, 4, 8, 2));
            m.create("inner#2", MapSpec.of(MapType.ARRAY, 4, 8, 2));
            m.update("inner#1", Bytes.k(0), Bytes.v(101), 0);
            m.update("inner#2", Bytes.k(0), Bytes.v(102), 0);
            m.createOuter("map#1", spec, "inner#1");
            m.updateFd("map#1", Bytes.k(0), "inner#1", 0);
            m.updateFd("map#1", Bytes.k(2), "inner#2", 0);
            return;
        }
        m.create("map#1", spec);
        if (t == MapType.RINGBUF) return;
        for (int k = 0; k < 3; k++) {
            byte[] key = t.isKeyless() ? null : t == MapType.LPM_TRIE ? Bytes.concat(Bytes.k(32), Bytes.k(k)) : Bytes.k(k);
            m.update("map#1", key, t.isPerCpu() ? Bytes.perCpu(100 + k) : Bytes.v(100 + k), 0);
        }
    }

    static Scenario scenario(String name, MapType t, List<Op> ops) {
        Scenario s = new Scenario(name);
        MapOps m = new MapOps(s);
        fill(s, m, t);
        s.step("create out", c -> {
            c.def("map#out", c.bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, SLOTS * 8, 1)));
            return "created";
        });
        s.step("load XDP " + ops, c -> {
            c.def("prog#1", c.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, program(t, ops, c.fd("map#1"), c.fd("map#out")), "GPL")).fd());
            return "loaded";
        });
        s.step("test run", c -> "retval=" + c.bpf.progTestRun(c.fd("prog#1"), TestRunSpec.ofData(new byte[64])).retval());
        s.step("slots", c -> {
            byte[] v = new byte[SLOTS * 8];
            c.bpf.mapLookupElem(c.fd("map#out"), new byte[4], v, 0);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < ops.size(); i++) b.append(i == 0 ? "" : " ").append(Long.toHexString(Bytes.le64(v, 8 * i)));
            return b.toString();
        });
        if (t == MapType.QUEUE || t == MapType.STACK) {
            for (int i = 0; i <= MAX; i++) m.lookupAndDelete("map#1", null, 0);
        } else if (t != MapType.RINGBUF && t != MapType.BLOOM_FILTER && t != MapType.ARRAY_OF_MAPS && t != MapType.HASH_OF_MAPS) {
            m.dump("map#1", true);
        }
        return s;
    }
}
