package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The input rules, differentially: a table of bad inputs, each run on the Linux backend (the real
 * kernel) and on the simulator. Both must end the same way, and the way the table expects:
 * {@code IllegalArgumentException} for what the shared rules refuse in Java, the same errno for
 * what the kernel refuses (a dotted name on bpffs, an array no machine can hold).
 */
class InputRulesTest {
    private static final String IAE = "IllegalArgumentException";
    private static final long[] XDP_PASS = new Asm().mov64(Register.R0, 2).exit().toArray();

    /** A descriptor an action returned, closed after the row. */
    record Fd(int fd) {
    }

    /** One bad input: what it is, the outcome both backends must have, and the call. */
    record Row(String what, String expected, Function<Env, Object> action) {
    }

    /** The objects rows act on, made afresh on each backend; and the pin directory. */
    static final class Env implements AutoCloseable {
        final Bpf bpf;
        final String dir;
        final int hash;
        final int percpu;
        final int queue;
        final int prog;

        Env(Bpf bpf, String dir) {
            this.bpf = bpf;
            this.dir = dir;
            hash = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4));
            percpu = bpf.mapCreate(MapSpec.of(MapType.PERCPU_ARRAY, 4, 12, 2));
            queue = bpf.mapCreate(MapSpec.of(MapType.QUEUE, 0, 8, 2));
            prog = bpf.progLoad(ProgramSpec.of(ProgramType.XDP, XDP_PASS, "GPL")).fd();
        }

        @Override
        public void close() {
            for (int fd : new int[] {hash, percpu, queue, prog}) bpf.closeFd(fd);
        }
    }

    private static Row iae(String what, Function<Env, Object> action) {
        return new Row(what, IAE, action);
    }

    private static Fd fd(int fd) {
        return new Fd(fd);
    }

    private static byte[] b(int n) {
        return new byte[n];
    }

    static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        // BPF_MAP_CREATE: undefined flags and keys of keyless types in Java; sizes no machine holds are the kernel's ENOMEM.
        r.add(iae("map flag 1 << 19", e -> fd(e.bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4).withFlags(1 << 19)))));
        r.add(iae("map flag 1 << 31", e -> fd(e.bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4).withFlags(1 << 31)))));
        r.add(iae("queue with a 4-byte key", e -> fd(e.bpf.mapCreate(MapSpec.of(MapType.QUEUE, 4, 8, 4)))));
        r.add(iae("bloom filter with a 4-byte key", e -> fd(e.bpf.mapCreate(MapSpec.of(MapType.BLOOM_FILTER, 4, 8, 4)))));
        r.add(iae("map name with '-'", e -> fd(e.bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4).withName("a-b")))));
        r.add(iae("map name of 16 characters", e -> fd(e.bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4).withName("x".repeat(16))))));
        r.add(new Row("2 PiB array (1 MiB x 2^31-1)", "ENOMEM",
                e -> fd(e.bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 1 << 20, Integer.MAX_VALUE)))));
        r.add(new Row("4 EiB array (2^31-1 x 2^31-1)", "ENOMEM",
                e -> fd(e.bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, Integer.MAX_VALUE, Integer.MAX_VALUE)))));
        // Element commands: sizes, flags, descriptors.
        r.add(iae("lookup, 3-byte key", e -> e.bpf.mapLookupElem(e.hash, b(3), b(8), 0)));
        r.add(iae("lookup, null key", e -> e.bpf.mapLookupElem(e.hash, null, b(8), 0)));
        r.add(iae("lookup, 7-byte value", e -> e.bpf.mapLookupElem(e.hash, b(4), b(7), 0)));
        r.add(iae("lookup, null value", e -> e.bpf.mapLookupElem(e.hash, b(4), null, 0)));
        r.add(iae("lookup, flags NOEXIST", e -> e.bpf.mapLookupElem(e.hash, b(4), b(8), 1)));
        r.add(iae("lookup, flags 1 << 40", e -> e.bpf.mapLookupElem(e.hash, b(4), b(8), 1L << 40)));
        r.add(iae("lookup, mapFd -1", e -> e.bpf.mapLookupElem(-1, b(4), b(8), 0)));
        r.add(iae("update, flags NOEXIST|EXIST", e -> call(() -> e.bpf.mapUpdateElem(e.hash, b(4), b(8), 3))));
        r.add(iae("update, flags 8", e -> call(() -> e.bpf.mapUpdateElem(e.hash, b(4), b(8), 8))));
        r.add(iae("update, flags -1", e -> call(() -> e.bpf.mapUpdateElem(e.hash, b(4), b(8), -1))));
        r.add(iae("update, 9-byte value", e -> call(() -> e.bpf.mapUpdateElem(e.hash, b(4), b(9), 0))));
        r.add(iae("update of a queue with a key", e -> call(() -> e.bpf.mapUpdateElem(e.queue, b(4), b(8), 0))));
        r.add(iae("per-CPU value without the padding", e -> e.bpf.mapLookupElem(e.percpu, b(4), b(12 * e.bpf.possibleCpus()), 0)));
        r.add(iae("per-CPU value of one CPU", e -> call(() -> e.bpf.mapUpdateElem(e.percpu, b(4), b(16), 0))));
        r.add(iae("delete, 5-byte key", e -> e.bpf.mapDeleteElem(e.hash, b(5))));
        r.add(iae("next key into 8 bytes", e -> e.bpf.mapGetNextKey(e.hash, null, b(8))));
        r.add(iae("next key into null", e -> e.bpf.mapGetNextKey(e.hash, null, null)));
        r.add(iae("next key after a 2-byte key", e -> e.bpf.mapGetNextKey(e.hash, b(2), b(4))));
        r.add(iae("lookup-and-delete, flags EXIST", e -> e.bpf.mapLookupAndDeleteElem(e.hash, b(4), b(8), 2)));
        // Batches.
        r.add(iae("lookup batch, count 0", e -> e.bpf.mapLookupBatch(e.hash, null, b(4), b(8), b(16), 0, 0, 0)));
        r.add(iae("lookup batch, count -1", e -> e.bpf.mapLookupBatch(e.hash, null, b(4), b(8), b(16), -1, 0, 0)));
        r.add(iae("lookup batch, flags 1", e -> e.bpf.mapLookupBatch(e.hash, null, b(4), b(8), b(16), 2, 0, 1)));
        r.add(iae("lookup batch, elemFlags NOEXIST", e -> e.bpf.mapLookupBatch(e.hash, null, b(4), b(8), b(16), 2, 1, 0)));
        r.add(iae("lookup batch, 2-byte cursor", e -> e.bpf.mapLookupBatch(e.hash, null, b(2), b(8), b(16), 2, 0, 0)));
        r.add(iae("lookup batch, keys for 1 of 2", e -> e.bpf.mapLookupBatch(e.hash, null, b(4), b(4), b(16), 2, 0, 0)));
        r.add(iae("lookup batch, null values", e -> e.bpf.mapLookupBatch(e.hash, null, b(4), b(8), null, 2, 0, 0)));
        r.add(iae("update batch, elemFlags 3", e -> e.bpf.mapUpdateBatch(e.hash, b(8), b(16), 2, 3, 0)));
        r.add(iae("update batch, values for 1 of 2", e -> e.bpf.mapUpdateBatch(e.hash, b(8), b(8), 2, 0, 0)));
        r.add(iae("delete batch, elemFlags LOCK", e -> e.bpf.mapDeleteBatch(e.hash, b(8), 2, 4, 0)));
        r.add(iae("delete batch, count 0", e -> e.bpf.mapDeleteBatch(e.hash, b(8), 0, 0, 0)));
        // Programs.
        r.add(iae("fdArray {-1}", e -> fd(e.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, XDP_PASS, "GPL").withFdArray(-1)).fd())));
        r.add(iae("fdArray {map, -5}", e -> fd(e.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, XDP_PASS, "GPL")
                .withFdArray(e.hash, -5)).fd())));
        r.add(iae("prog flag 1 << 8", e -> fd(e.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, XDP_PASS, "GPL").withFlags(1 << 8)).fd())));
        r.add(iae("prog flag 1 << 20", e -> fd(e.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, XDP_PASS, "GPL").withFlags(1 << 20)).fd())));
        r.add(iae("test run, progFd -1", e -> e.bpf.progTestRun(-1, TestRunSpec.ofData(b(64)))));
        r.add(iae("test run, flag 1 << 3", e -> e.bpf.progTestRun(e.prog, new TestRunSpec(b(64), 64, null, 0, 1, 1 << 3, 0, 0))));
        r.add(new Row("test run, 2 GiB of room for data and context", "ok retval 2, 64 bytes out",
                e -> testRun(e.bpf.progTestRun(e.prog, new TestRunSpec(b(64), Integer.MAX_VALUE, null, 0, 1, 0, 0, 0)))));
        r.add(iae("bind map, flags 1", e -> call(() -> e.bpf.progBindMap(e.prog, e.hash, 1))));
        r.add(iae("bind map, progFd -1", e -> call(() -> e.bpf.progBindMap(-1, e.hash, 0))));
        r.add(iae("stream read, stream 3", e -> e.bpf.progStreamReadByFd(e.prog, 3, b(8))));
        // Pins: strings the kernel cannot take are refused in Java; bpffs refuses a dot itself.
        r.add(iae("pin, empty path", e -> call(() -> e.bpf.objPin(e.hash, ""))));
        r.add(iae("pin, null path", e -> call(() -> e.bpf.objPin(e.hash, null))));
        r.add(iae("pin, NUL in the path", e -> call(() -> e.bpf.objPin(e.hash, e.dir + "/a\0b"))));
        r.add(iae("pin, path of 5000 bytes", e -> call(() -> e.bpf.objPin(e.hash, e.dir + "/" + "x".repeat(5000)))));
        r.add(iae("pin, fd -1", e -> call(() -> e.bpf.objPin(-1, e.dir + "/x"))));
        r.add(new Row("pin, dotted name", "EPERM", e -> call(() -> e.bpf.objPin(e.hash, e.dir + "/a.b"))));
        r.add(new Row("pin, name starting with a dot", "EPERM", e -> call(() -> e.bpf.objPin(e.hash, e.dir + "/.hidden"))));
        r.add(new Row("pin, dotted directory", "EPERM", e -> call(() -> e.bpf.objPin(e.hash, e.dir + "/d.d/x"))));
        r.add(new Row("pin, dotted directory then ..", "EPERM", e -> call(() -> e.bpf.objPin(e.hash, e.dir + "/d.d/../x"))));
        r.add(new Row("pin, missing directory then a dot", "ENOENT", e -> call(() -> e.bpf.objPin(e.hash, e.dir + "/none/a.b"))));
        r.add(new Row("get, dotted name", "EPERM", e -> fd(e.bpf.objGet(e.dir + "/x.y", 0))));
        r.add(iae("get, RDONLY|WRONLY", e -> fd(e.bpf.objGet(e.dir + "/x", MapFlags.RDONLY | MapFlags.WRONLY))));
        r.add(iae("get, PATH_FD", e -> fd(e.bpf.objGet(e.dir + "/x", MapFlags.PATH_FD))));
        r.add(iae("get, NUL in the path", e -> fd(e.bpf.objGet(e.dir + "/\0", 0))));
        r.add(iae("unpin, empty path", e -> call(() -> e.bpf.objUnpin(""))));
        r.add(iae("unpin, path off bpffs", e -> call(() -> e.bpf.objUnpin("/tmp/b4j-input-rules-not-a-pin"))));
        r.add(new Row("unpin, dotted name", "EPERM", e -> call(() -> e.bpf.objUnpin(e.dir + "/a.b"))));
        // Links: options must be the hook's own.
        r.add(iae("XDP link with mprog options", e -> fd(e.bpf.linkCreate(new LinkSpec(e.prog, 1, AttachType.XDP, 0,
                new LinkOptions.Mprog(0, 0))))));
        r.add(iae("XDP link with tracing options", e -> fd(e.bpf.linkCreate(new LinkSpec(e.prog, 1, AttachType.XDP, 0,
                new LinkOptions.Tracing(0, 7))))));
        r.add(iae("TCX link with perf event options", e -> fd(e.bpf.linkCreate(new LinkSpec(e.prog, 1, AttachType.TCX_INGRESS, 0,
                new LinkOptions.PerfEvent(1))))));
        r.add(iae("netfilter link without options", e -> fd(e.bpf.linkCreate(LinkSpec.of(e.prog, 0, AttachType.NETFILTER, 0)))));
        r.add(iae("kprobe multi link without options", e -> fd(e.bpf.linkCreate(LinkSpec.of(e.prog, 0, AttachType.TRACE_KPROBE_MULTI, 0)))));
        r.add(iae("cgroup link with iterator options", e -> fd(e.bpf.linkCreate(new LinkSpec(e.prog, 3, AttachType.CGROUP_INET_INGRESS, 0,
                LinkOptions.Iter.NONE)))));
        r.add(iae("link, progFd -1", e -> fd(e.bpf.linkCreate(LinkSpec.of(-1, 1, AttachType.XDP, 0)))));
        r.add(iae("link, target -1", e -> fd(e.bpf.linkCreate(LinkSpec.of(e.prog, -1, AttachType.XDP, 0)))));
        r.add(iae("attach, flag 1 << 6", e -> call(() -> e.bpf.progAttach(AttachSpec.of(3, e.prog, AttachType.CGROUP_INET_INGRESS, 1 << 6)))));
        r.add(iae("attach, replaceFd -1", e -> call(() -> e.bpf.progAttach(new AttachSpec(3, e.prog, AttachType.CGROUP_INET_INGRESS,
                AttachFlags.REPLACE, -1, 0, 0)))));
        r.add(iae("detach, progFd -1", e -> call(() -> e.bpf.progDetach(AttachSpec.of(3, -1, AttachType.CGROUP_INET_INGRESS, 0)))));
        r.add(iae("query, flag 2", e -> e.bpf.progQuery(new QuerySpec(1, AttachType.TCX_INGRESS, 2))));
        r.add(iae("query, target -1", e -> e.bpf.progQuery(new QuerySpec(-1, AttachType.TCX_INGRESS, 0))));
        r.add(iae("link update, old program without REPLACE", e -> call(() -> e.bpf.linkUpdate(3, e.prog, e.prog, 0))));
        r.add(iae("link update, flags 1", e -> call(() -> e.bpf.linkUpdate(3, e.prog, 0, 1))));
        r.add(iae("link detach, -1", e -> call(() -> e.bpf.linkDetach(-1))));
        r.add(iae("raw tracepoint, empty name", e -> fd(e.bpf.rawTracepointOpen("", e.prog, 0))));
        r.add(iae("raw tracepoint, NUL in the name", e -> fd(e.bpf.rawTracepointOpen("sys\0enter", e.prog, 0))));
        r.add(iae("iterator, flags 1", e -> fd(e.bpf.iterCreate(3, 1))));
        r.add(iae("tracepoint target, pid -2", e -> fd(e.bpf.openTarget(new AttachTarget.Tracepoint("sched", "sched_switch", -2, 0)))));
        // Ids, BTF, descriptors, statistics.
        r.add(iae("next map id after -1", e -> e.bpf.mapGetNextId(-1)));
        r.add(iae("program by id 0", e -> fd(e.bpf.progGetFdById(0))));
        r.add(iae("BTF, empty blob", e -> fd(e.bpf.btfLoad(new byte[0], 0).fd())));
        r.add(iae("BTF, log level 8", e -> fd(e.bpf.btfLoad(b(24), 8).fd())));
        r.add(iae("read, off/len beyond the buffer", e -> e.bpf.read(e.hash, b(4), 3, 2)));
        r.add(iae("read, negative length", e -> e.bpf.read(e.hash, b(4), 0, -1)));
        r.add(iae("read, fd -1", e -> e.bpf.read(-1, b(4), 0, 4)));
        r.add(iae("close, fd -1", e -> call(() -> e.bpf.closeFd(-1))));
        r.add(iae("dup, fd -1", e -> fd(e.bpf.dupFd(-1))));
        r.add(iae("stats, null type", e -> fd(e.bpf.enableStats(null))));
        r.add(iae("task fd query, pid -1", e -> e.bpf.taskFdQuery(-1, 3, 0)));
        r.add(iae("token, flags 1", e -> fd(e.bpf.tokenCreate(3, 1))));
        return r;
    }

    private static Object call(Runnable r) {
        r.run();
        return null;
    }

    private static String testRun(TestRunResult t) {
        return "retval " + t.retval() + ", " + t.dataOut().length + " bytes out";
    }

    /** How a row ended on one backend; a descriptor it made is closed. */
    private static String outcome(Env env, Row row) {
        try {
            Object r = row.action().apply(env);
            if (r instanceof Fd) {
                env.bpf.closeFd(((Fd) r).fd());
                return "ok";
            }
            if (r instanceof LoadResult) {
                env.bpf.closeFd(((LoadResult) r).fd());
                return "ok";
            }
            return r instanceof String ? "ok " + r : "ok";
        } catch (IllegalArgumentException e) {
            return IAE;
        } catch (BpfUnsupportedException e) {
            return "unsupported";
        } catch (BpfException e) {
            return e.errno().name();
        } catch (RuntimeException | Error e) {
            return e.getClass().getSimpleName();
        }
    }

    private static List<String> runAll(Bpf bpf, String dir, List<Row> rows) {
        List<String> out = new ArrayList<>();
        try (Env env = new Env(bpf, dir)) {
            for (Row row : rows) out.add(outcome(env, row));
        }
        return out;
    }

    @Test
    void badInputEndsAlikeOnLinuxAndInTheSimulator() {
        LinuxKernel.require();
        List<Row> rows = rows();
        List<String> before = LeakCheck.descriptors();
        Path pinDir = Need.bpffs().resolve(DiffHost.fresh("r"));
        createDirectory(pinDir);
        List<String> lin;
        List<String> sim;
        try {
            try (Bpf linux = Bpf.open("linux")) {
                lin = runAll(linux, pinDir.toString(), rows);
            }
            try (SimBpf s = Simulator.builder().possibleCpus(DiffHost.CPUS).build()) {
                s.mkdir(pinDir.toString());
                sim = runAll(s, pinDir.toString(), rows);
                assertEquals(0, s.openDescriptors(), "the rows leaked simulator descriptors");
            }
        } finally {
            Host.deleteTree(pinDir);
        }
        assertEquals(before, LeakCheck.descriptors(), "the rows leaked descriptors");
        StringBuilder bad = new StringBuilder();
        int javaSide = 0;
        int kernelSide = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            boolean same = lin.get(i).equals(sim.get(i)) && lin.get(i).equals(row.expected());
            if (!same) {
                bad.append(String.format("%n  %-48s expected %-26s linux %-26s sim %s", row.what(), row.expected(),
                        lin.get(i), sim.get(i)));
            } else if (row.expected().equals(IAE)) {
                javaSide++;
            } else if (!row.expected().startsWith("ok")) {
                kernelSide++;
            }
        }
        assertTrue(bad.length() == 0, "rows that did not end as expected on both backends:" + bad);
        // Not vacuous: most rows are refused in Java, several by the kernel, on both sides alike.
        assertTrue(javaSide >= 87, "only " + javaSide + " rows were refused in Java on both backends");
        assertTrue(kernelSide >= 9, "only " + kernelSide + " rows were refused by the kernel on both backends");
    }

    /** After close() both backends refuse every operation with IllegalStateException. */
    @Test
    void aClosedBackendRefusesOperationsAlike() {
        LinuxKernel.require();
        List<String> lin;
        List<String> sim;
        try (Bpf linux = Bpf.open("linux")) {
            lin = afterClose(linux);
        }
        try (SimBpf s = Simulator.builder().possibleCpus(DiffHost.CPUS).build()) {
            sim = afterClose(s);
        }
        assertEquals(List.of("IllegalStateException", "IllegalStateException", "IllegalStateException",
                "IllegalStateException", "IllegalStateException"), lin);
        assertEquals(lin, sim);
    }

    private static List<String> afterClose(Bpf bpf) {
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4));
        bpf.closeFd(m);
        bpf.close();
        List<Function<Bpf, Object>> ops = List.of(
                x -> x.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4)),
                x -> x.mapLookupElem(m, b(4), b(8), 0),
                x -> x.progLoad(ProgramSpec.of(ProgramType.XDP, XDP_PASS, "GPL")),
                x -> x.mapGetNextId(0),
                x -> x.capabilities());
        List<String> out = new ArrayList<>();
        for (Function<Bpf, Object> op : ops) {
            try {
                op.apply(bpf);
                out.add("ok");
            } catch (RuntimeException e) {
                out.add(e.getClass().getSimpleName());
            }
        }
        return out;
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
