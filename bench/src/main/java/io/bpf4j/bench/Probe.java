package io.bpf4j.bench;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.UpdateFlags;
import java.util.concurrent.Callable;

/**
 * Says, one line per operation, what the benchmarks need and whether it works here: the C
 * library, and each operation of the Linux and simulator backends on a small map and on the
 * benchmark programs (with the kernel's own average duration per run). Takes about a second;
 * {@code bench/run} prints it first so a failed benchmark has its reason beside it.
 */
public final class Probe {
    private Probe() {}

    private static int failures;

    public static void main(String[] args) {
        check("c library", () -> CBaseline.get().path);
        check("c map create + fill", () -> {
            CBaseline c = CBaseline.get();
            int fd = c.mapCreate(16);
            try {
                c.fill(fd, 0, 16);
                return "ok";
            } finally {
                c.close(fd);
            }
        });
        Programs.checkCounts();
        for (String backend : new String[] {"linux", "sim"}) {
            Bpf bpf;
            try {
                bpf = Bpf.open(backend);
                System.out.printf("%-34s ok%n", backend + " open");
            } catch (RuntimeException | LinkageError e) {
                System.out.printf("%-34s FAIL %s%n", backend + " open", oneLine(e));
                failures++;
                continue;
            }
            try {
                maps(backend, bpf);
                programs(backend, bpf);
            } finally {
                bpf.close();
            }
        }
        System.out.println(failures == 0 ? "probe: everything the benchmarks use works"
                : "probe: " + failures + " check(s) failed; their benchmarks will print n/a");
    }

    private static void maps(String backend, Bpf bpf) {
        BpfMap map;
        try {
            map = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 1024).withName("probe"));
            System.out.printf("%-34s ok%n", backend + " mapCreate");
        } catch (RuntimeException e) {
            System.out.printf("%-34s FAIL %s%n", backend + " mapCreate", oneLine(e));
            failures++;
            return;
        }
        try (map) {
            int fd = map.fd();
            byte[] key = new byte[4];
            byte[] value = new byte[8];
            check(backend + " mapUpdateElem", () -> {
                for (int k = 0; k < 100; k++) {
                    HashMapFixture.U32.set(key, 0, k);
                    HashMapFixture.U64.set(value, 0, HashMapFixture.valueOf(k));
                    bpf.mapUpdateElem(fd, key, value, UpdateFlags.ANY);
                }
                return "ok";
            });
            check(backend + " mapLookupElem", () -> {
                HashMapFixture.U32.set(key, 0, 7);
                if (!bpf.mapLookupElem(fd, key, value, 0)) return "FAIL key 7 missing";
                long v = (long) HashMapFixture.U64.get(value, 0);
                return v == HashMapFixture.valueOf(7) ? "ok" : "FAIL wrong value " + v;
            });
            check(backend + " mapGetNextKey", () -> {
                byte[] cur = null;
                byte[] next = new byte[4];
                int n = 0;
                while (bpf.mapGetNextKey(fd, cur, next)) {
                    n++;
                    cur = next.clone();
                }
                return n == 100 ? "ok" : "FAIL walked " + n + " keys, expected 100";
            });
            check(backend + " mapLookupBatch", () -> {
                byte[] keys = new byte[64 * 4];
                byte[] values = new byte[64 * 8];
                byte[] in = null;
                byte[] out = new byte[8];
                int n = 0;
                for (;;) {
                    BatchResult r = bpf.mapLookupBatch(fd, in, out, keys, values, 64, 0, 0);
                    n += r.count();
                    if (r.done()) break;
                    in = out.clone();
                }
                return n == 100 ? "ok" : "FAIL dumped " + n + ", expected 100";
            });
            check(backend + " mapDeleteElem", () -> {
                HashMapFixture.U32.set(key, 0, 7);
                boolean first = bpf.mapDeleteElem(fd, key);
                boolean second = bpf.mapDeleteElem(fd, key);
                return first && !second ? "ok" : "FAIL delete returned " + first + ", then " + second;
            });
        } catch (RuntimeException e) {
            System.out.printf("%-34s FAIL %s%n", backend + " map close", oneLine(e));
            failures++;
        }
    }

    private static void programs(String backend, Bpf bpf) {
        byte[] packet = Programs.packet();
        String[] names = {"loop", "parser", "maps"};
        int[] insns = {Programs.LOOP_INSNS, Programs.PARSER_INSNS, Programs.MAPS_INSNS};
        int[] expect = {Programs.XDP_PASS, Programs.XDP_TX, Programs.XDP_PASS};
        for (int i = 0; i < 3; i++) {
            final int p = i;
            check(backend + " progTestRun " + names[i], () -> {
                int arr = -1;
                int prog = -1;
                try {
                    long[] code;
                    if (p == 2) {
                        arr = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, Programs.MAP_ENTRIES));
                        code = Programs.maps(arr);
                    } else {
                        code = p == 0 ? Programs.loop() : Programs.parser();
                    }
                    prog = bpf.progLoad(ProgramSpec.of(ProgramType.XDP, code, "GPL")).fd();
                    TestRunResult r = bpf.progTestRun(prog, TestRunSpec.ofData(packet).withRepeat(1000));
                    if (r.retval() != expect[p]) return "FAIL returned " + r.retval() + ", expected " + expect[p];
                    return String.format("ok (%d insns/run; backend reports %d ns/run = %.2f ns/insn)", insns[p],
                            r.durationNs(), (double) r.durationNs() / insns[p]);
                } finally {
                    if (prog >= 0) bpf.closeFd(prog);
                    if (arr >= 0) bpf.closeFd(arr);
                }
            });
        }
    }

    private static void check(String what, Callable<Object> c) {
        String result;
        try {
            Object o = c.call();
            result = o instanceof String s && (s.startsWith("ok") || s.startsWith("FAIL")) ? s : "ok " + o;
        } catch (Exception | LinkageError e) {
            result = "FAIL " + oneLine(e);
        }
        if (result.startsWith("FAIL")) failures++;
        System.out.printf("%-34s %s%n", what, result);
    }

    private static String oneLine(Throwable e) {
        String m = e.getClass().getSimpleName() + ": " + e.getMessage();
        m = m.replace('\n', ' ');
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
