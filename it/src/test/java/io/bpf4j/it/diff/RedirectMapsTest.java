package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R10;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Device maps and CPU maps on the kernel and on the simulator: creation at the attribute edges,
 * random commands (values naming the loopback, devices that do not exist, queue sizes past the
 * limit, programs for the map kind or not, descriptors of other objects), and XDP programs calling
 * {@code bpf_redirect_map} and looking entries up, test-run. The kernel side runs in a fresh
 * network namespace, whose only device is its loopback, as the simulator's. Replay with
 * {@code -Dbpf4j.diff.seed=N}.
 */
class RedirectMapsTest {
    private static final MapType[] TYPES = {MapType.DEVMAP, MapType.DEVMAP_HASH, MapType.CPUMAP};
    /** The objects a value's descriptor may name (a program for each map kind, others, a map). */
    private static final String[] FDS = {"progDev", "progCpu", "progXdp", "progTc", "mapOther"};

    static LongStream seeds() {
        return Seeds.of(31, 32, 33, 34);
    }

    @Test
    void creationAtTheEdges() {
        Scenario s = new Scenario("device and CPU map creation");
        MapOps m = new MapOps(s);
        int i = 0;
        for (MapType t : TYPES) {
            for (int[] a : new int[][] {{4, 4, 1, 0}, {4, 8, 3, 0}, {4, 6, 1, 0}, {8, 4, 1, 0}, {4, 0, 1, 0}, {4, 4, 0, 0},
                {4, 4, 256, 0}, {4, 4, 257, 0}, {4, 4, 1, MapFlags.RDONLY_PROG}, {4, 4, 1, MapFlags.RDONLY},
                {4, 4, 1, MapFlags.NO_PREALLOC}, {4, 4, 1, MapFlags.WRONLY_PROG}, {4, 4, 1 << 20, 0}}) {
                String sym = "map" + i++;
                m.create(sym, MapSpec.of(t, a[0], a[1], a[2]).withFlags(a[3]));
                s.step("info " + sym, c -> {
                    io.bpf4j.api.MapInfo info = c.bpf.mapGetInfo(c.fd(sym));
                    return "flags=0x" + Integer.toHexString(info.flags()) + " max=" + info.maxEntries();
                });
            }
        }
        Report r = Diff.assertSame(s);
        System.out.println("[redirect-maps] creation: " + i + " maps, " + r.mismatches().size() + " divergences");
    }

    /** The objects every scenario starts with: a program of each kind a value may name, and a map. */
    private static void objects(Scenario s) {
        s.step("load programs and a map", c -> {
            long[] pass = new Asm().mov64(R0, 2).exit().toArray();
            c.def("progDev", c.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, pass, "GPL")
                    .withExpectedAttachType(AttachType.XDP_DEVMAP)).fd());
            c.def("progCpu", c.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, pass, "GPL")
                    .withExpectedAttachType(AttachType.XDP_CPUMAP)).fd());
            c.def("progXdp", c.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, pass, "GPL")).fd());
            c.def("progTc", c.bpf.progLoad(ProgramSpec.of(ProgramType.SCHED_CLS, new Asm().mov64(R0, 0).exit().toArray(), "GPL")).fd());
            c.def("mapOther", c.bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1)));
            return "loaded";
        });
    }

    /** One random update: the first word an ifindex or queue size, the second (8-byte values) a descriptor or a number. */
    private static void update(Scenario s, String sym, boolean cpu, int valueSize, Random r, int key) {
        int first = (cpu ? new int[] {192, 192, 16384, 1, 0, 16385, -1} : new int[] {1, 1, 1, 1, 0, 2, 99, -1})[r.nextInt(cpu ? 7 : 8)];
        String fd = r.nextInt(3) == 0 ? null : r.nextBoolean() ? (cpu ? "progCpu" : "progDev") : FDS[r.nextInt(FDS.length)];
        int raw = new int[] {0, 0, -1, 1000}[r.nextInt(4)];
        long flags = new long[] {0, 0, 0, 1, 2, 4}[r.nextInt(6)];
        s.step("update " + sym + " key=" + key + " value={" + first + ", " + (valueSize == 4 ? "-" : fd != null ? "fd(" + fd + ")" : raw)
                + "} " + Scenario.flags(flags), c -> {
                    byte[] v = valueSize == 4 ? Bytes.k(first) : Bytes.concat(Bytes.k(first), Bytes.k(fd != null ? c.fd(fd) : raw));
                    c.bpf.mapUpdateElem(c.fd(sym), Bytes.k(key), v, flags);
                    return null;
                });
    }

    /** A lookup: the first word, and the program's symbol for the id an 8-byte value holds. */
    private static void lookup(Scenario s, String sym, int valueSize, int key) {
        s.step("lookup " + sym + " key=" + key, c -> value(c, sym, valueSize, key));
    }

    private static String value(Ctx c, String sym, int valueSize, int key) {
        byte[] v = new byte[valueSize];
        if (!c.bpf.mapLookupElem(c.fd(sym), Bytes.k(key), v, 0)) return "missing";
        if (valueSize == 4) return "{" + Bytes.le32(v, 0) + "}";
        int id = Bytes.le32(v, 4);
        return "{" + Bytes.le32(v, 0) + ", " + (id == 0 ? "0" : "id of " + c.progSymOfId(id)) + "}";
    }

    /** The keys in get-next-key order, each with its value as {@link #lookup} renders it. */
    private static void walk(Scenario s, String sym, int valueSize) {
        s.step("walk " + sym, c -> {
            List<String> out = new ArrayList<>();
            byte[] cur = null;
            for (int i = 0; i < 100; i++) {
                byte[] next = new byte[4];
                if (!c.bpf.mapGetNextKey(c.fd(sym), cur, next)) break;
                out.add(Bytes.le32(next, 0) + "=" + value(c, sym, valueSize, Bytes.le32(next, 0)));
                cur = next;
            }
            return out;
        });
    }

    private static Scenario commands(String name, MapType t, int valueSize, int max, List<Integer> ops, long seed) {
        Scenario s = new Scenario(name).inNetns().note("seed " + seed + ", replay with -Dbpf4j.diff.seed=" + seed);
        objects(s);
        MapOps m = new MapOps(s);
        String sym = "map" + t;
        m.create(sym, MapSpec.of(t, 4, valueSize, max));
        for (int op : ops) {
            Random r = new Random(op);
            int key = t == MapType.DEVMAP_HASH ? r.nextInt(40) : r.nextInt(max + 2);
            switch (r.nextInt(7)) {
                case 0, 1, 2 -> update(s, sym, t == MapType.CPUMAP, valueSize, r, key);
                case 3 -> lookup(s, sym, valueSize, key);
                case 4 -> m.delete(sym, Bytes.k(key));
                case 5 -> m.nextKey(sym, r.nextBoolean() ? null : Bytes.k(key));
                default -> walk(s, sym, valueSize);
            }
        }
        walk(s, sym, valueSize);
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomCommands(long seed) {
        Random r = new Random(seed);
        Minimized min = new Minimized("redirect-maps", List.of());
        for (MapType t : TYPES) {
            for (int valueSize : new int[] {4, 8}) {
                int max = t == MapType.DEVMAP_HASH ? 3 + r.nextInt(4) : 2 + r.nextInt(4);
                List<Integer> ops = new ArrayList<>();
                for (int i = 0; i < 40; i++) ops.add(r.nextInt());
                String name = t + " value " + valueSize + " max " + max + " of seed " + seed;
                min.check(ops, o -> commands(name, t, valueSize, max, o, seed));
            }
        }
        min.finish("commands seed " + seed);
    }

    /** A program step: {@code redirect_map(map, key, flags)} or a lookup of a device map's entry. */
    record Call(String map, long key, long flags, boolean lookup) {
        @Override
        public String toString() {
            return lookup ? "lookup(" + map + ", " + key + ")" : "redirect_map(" + map + ", " + key + ", 0x" + Long.toHexString(flags) + ")";
        }
    }

    private static Scenario program(String name, List<Call> calls) {
        Scenario s = new Scenario(name).inNetns();
        s.step("create maps", c -> {
            c.def("mapDEVMAP", c.bpf.mapCreate(MapSpec.of(MapType.DEVMAP, 4, 4, 4)));
            c.def("mapDEVMAP_HASH", c.bpf.mapCreate(MapSpec.of(MapType.DEVMAP_HASH, 4, 8, 4)));
            c.def("mapCPUMAP", c.bpf.mapCreate(MapSpec.of(MapType.CPUMAP, 4, 4, 2)));
            c.def("map#out", c.bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8 * PacketCalls.SLOTS, 1)));
            c.bpf.mapUpdateElem(c.fd("mapDEVMAP"), Bytes.k(1), Bytes.k(1), 0);
            c.bpf.mapUpdateElem(c.fd("mapDEVMAP"), Bytes.k(3), Bytes.k(1), 0);
            c.bpf.mapUpdateElem(c.fd("mapDEVMAP_HASH"), Bytes.k(7), Bytes.concat(Bytes.k(1), Bytes.k(0)), 0);
            c.bpf.mapUpdateElem(c.fd("mapCPUMAP"), Bytes.k(0), Bytes.k(64), 0);
            return "created";
        });
        s.step("load XDP " + calls, c -> {
            Asm a = new Asm();
            int slot = 0;
            for (Call call : calls) {
                a.ldMapFd(R1, c.fd(call.map()));
                if (call.lookup()) {
                    a.stw(R10, -4, (int) call.key()).mov64(R2, R10).add64(R2, -4).call(Helper.MAP_LOOKUP_ELEM)
                            .jeq(R0, 0, "l" + slot).ldxw(R0, R0, 0).ja("s" + slot).label("l" + slot).mov64(R0, -1).label("s" + slot);
                } else {
                    a.lddw(R2, call.key()).lddw(R3, call.flags()).call(Helper.REDIRECT_MAP);
                }
                a.ldMapValue(R1, c.fd("map#out"), 8 * slot++).stxdw(R1, 0, R0);
            }
            c.def("prog#1", c.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, a.exit().toArray(), "GPL")).fd());
            return "loaded";
        });
        PacketCalls.runAndReadSlots(s, new byte[64], calls.size());
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void redirectFromXdp(long seed) {
        Random r = new Random(seed);
        Minimized min = new Minimized("redirect-maps", List.of());
        long[] flags = {0, 1, 2, 3, 4, 8, 8 | 16, 16, 3 | 8, 1L << 40, 32};
        for (int i = 0; i < 12; i++) {
            List<Call> calls = new ArrayList<>();
            for (int n = 1 + r.nextInt(6); n > 0; n--) {
                String map = "map" + TYPES[r.nextInt(TYPES.length)];
                long key = r.nextInt(4) == 0 ? (long) r.nextInt(9) | 1L << 32 : r.nextBoolean() ? new int[] {0, 1, 3, 7}[r.nextInt(4)] : r.nextInt(9);
                boolean lookup = !map.equals("mapCPUMAP") && r.nextInt(4) == 0;
                calls.add(new Call(map, lookup ? key & 0xf : key, flags[r.nextInt(flags.length)], lookup));
            }
            String name = "XDP redirect program " + i + " of seed " + seed;
            min.check(calls, c -> program(name, c));
        }
        min.finish("XDP redirect seed " + seed);
    }
}
