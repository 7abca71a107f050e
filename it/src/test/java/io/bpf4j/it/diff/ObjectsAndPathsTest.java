package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Object semantics against the kernel: a prog array's owner (type and expected attach type,
 * fixed by the first program that uses it or is stored in it), a map holding its BTF object
 * alive, and pins and gets at odd paths (".." after a missing name, trailing slashes, names at
 * and past {@code NAME_MAX}, dots, pins walked through), with random combinations minimised.
 */
class ObjectsAndPathsTest {
    private static long[] tailCaller(int arrayFd, int ret) {
        return new Asm().ldMapFd(R2, arrayFd).mov64(R3, 0).call(Helper.TAIL_CALL).mov64(R0, ret).exit().toArray();
    }

    private static Scenario loadTailCaller(Scenario s, String sym, ProgramType t, AttachType eat) {
        return s.step("load " + sym + " " + t + (eat == null ? "" : " for " + eat) + " tail-calling through array", c -> {
            ProgramSpec spec = ProgramSpec.of(t, tailCaller(c.fd("map#pa"), 1), "GPL");
            c.def(sym, c.bpf.progLoad(eat == null ? spec : spec.withExpectedAttachType(eat)).fd());
            return "loaded";
        });
    }

    private static Scenario store(Scenario s, String prog) {
        return s.step("prog array[0] = " + prog, c -> {
            c.bpf.mapUpdateElem(c.fd("map#pa"), Bytes.k(0), Bytes.k(c.fd(prog)), 0);
            return null;
        });
    }

    private static Scenario run(Scenario s, String prog) {
        return s.step("test run " + prog, c -> "retval=" + c.bpf.progTestRun(c.fd(prog), TestRunSpec.ofData(new byte[64])).retval());
    }

    @Test
    void progArrayOwnerIsFixedByTheFirstProgram() {
        Scenario s = new Scenario("prog array owner");
        MapOps m = new MapOps(s);
        m.create("map#pa", MapSpec.of(MapType.PROG_ARRAY, 4, 4, 2));
        loadTailCaller(s, "prog#xdp", ProgramType.XDP, null);
        Progs.load(s, "prog#tc", ProgramType.SCHED_CLS, 7);
        Progs.load(s, "prog#xdp2", ProgramType.XDP, 3);
        Progs.load(s, "prog#xdp3", ProgramSpec.of(ProgramType.XDP, new Asm().mov64(R0, 4).exit().toArray(), "GPL")
                .withExpectedAttachType(AttachType.XDP), "XDP return 4");
        store(s, "prog#tc");
        store(s, "prog#xdp3");
        store(s, "prog#xdp2");
        run(s, "prog#xdp");
        loadTailCaller(s, "prog#tc2", ProgramType.SCHED_CLS, null);
        m.create("map#pa2", MapSpec.of(MapType.PROG_ARRAY, 4, 4, 2));
        s.step("prog array 2 [0] = prog#tc", c -> {
            c.bpf.mapUpdateElem(c.fd("map#pa2"), Bytes.k(0), Bytes.k(c.fd("prog#tc")), 0);
            return null;
        });
        s.step("load XDP using prog array 2", c -> {
            c.def("prog#x", c.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, tailCaller(c.fd("map#pa2"), 1), "GPL")).fd());
            return "loaded";
        });
        s.step("empty prog array 2, load XDP using it again", c -> {
            c.bpf.mapDeleteElem(c.fd("map#pa2"), Bytes.k(0));
            c.def("prog#x", c.bpf.progLoad(ProgramSpec.of(ProgramType.XDP, tailCaller(c.fd("map#pa2"), 1), "GPL")).fd());
            return "loaded";
        });
        Diff.assertSame(s);
    }

    @Test
    void aMapKeepsItsBtfAlive() {
        Scenario s = new Scenario("map holds its BTF");
        BtfBuilder b = new BtfBuilder();
        int u32 = b.addInt("unsigned int", 4, 0);
        int u64 = b.addInt("long long unsigned int", 8, 0);
        byte[] blob = b.marshal();
        s.step("load BTF, create a hash with key and value types, close the BTF", c -> {
            int btf = c.bpf.btfLoad(blob, 0).fd();
            try {
                c.def("map#1", c.bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4).withBtf(btf, u32, u64)));
            } finally {
                c.bpf.closeFd(btf);
            }
            return "created";
        });
        s.step("open the BTF by the map's btf_id", c -> {
            int id = c.bpf.mapGetInfo(c.fd("map#1")).btfId();
            c.def("btf#1", c.bpf.btfGetFdById(id));
            return "opened, same id: " + (c.bpf.btfGetInfo(c.fd("btf#1")).id() == id);
        });
        // After the map goes too the kernel frees it (and then the BTF) from a work queue, so
        // when the id disappears is timing, not compared.
        s.step("close the BTF descriptor again, open the BTF by id while the map lives", c -> {
            int id = c.bpf.btfGetInfo(c.fd("btf#1")).id();
            c.close("btf#1");
            c.def("btf#2", c.bpf.btfGetFdById(id));
            return "opened";
        });
        Diff.assertSame(s);
    }

    /** Odd path shapes, relative to the scenario's directory; "$p" is an existing pin, "$d" a directory. */
    private static final String[] PATHS = {"x", "x/", "x//", "d/x", "d//x", "d/./x", "d/../x", "missing/../x", "missing/x",
        "p/x", "p/../x", "p/", "./x", "d/", "d", ".", "..", "d/..", "d/.", "a.b", "d/a.b", "y".repeat(255), "y".repeat(256),
        "d/" + "z".repeat(256), "z".repeat(256) + "/x", "d/missing/../x", "", "/x"};

    private static String path(Ctx c, String rel) {
        return c.pinDir + "/" + rel;
    }

    private static void setup(Scenario s) {
        s.step("create map, pin it at p, mkdir d", c -> {
            c.def("map#1", c.bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 1)));
            c.bpf.objPin(c.fd("map#1"), c.pin("p"));
            // A directory made with mkdir(2) on the kernel's bpffs, with the simulator's own call there.
            if (c.bpf instanceof io.bpf4j.sim.SimBpf sim) sim.mkdir(c.pinDir + "/d");
            else java.nio.file.Files.createDirectory(java.nio.file.Path.of(c.pinDir, "d"));
            return "ok";
        });
    }

    record PathOp(boolean pin, String rel) {
        @Override
        public String toString() {
            return (pin ? "pin at " : "get at ") + "\"" + (rel.length() > 40 ? rel.substring(0, 20) + "...(" + rel.length() + ")" : rel) + "\"";
        }
    }

    private static Scenario paths(String name, List<PathOp> ops) {
        Scenario s = new Scenario(name);
        setup(s);
        for (PathOp op : ops) {
            s.step(op.toString(), c -> {
                if (op.pin()) {
                    c.bpf.objPin(c.fd("map#1"), path(c, op.rel()));
                    // Removed by the scenario's clean-up under the name it resolved to.
                    c.pin(java.nio.file.Path.of(op.rel()).normalize().toString());
                    return "pinned";
                }
                int fd = c.bpf.objGet(path(c, op.rel()), 0);
                c.bpf.closeFd(fd);
                return "got";
            });
        }
        s.step("directory d removed", c -> {
            try {
                for (String n : new String[] {"d/x", "d//x", "x"}) {
                    try {
                        c.bpf.objUnpin(path(c, n));
                    } catch (io.bpf4j.api.BpfException e) {
                        // Not pinned by this scenario.
                    }
                }
                c.bpf.objUnpin(c.pinDir + "/d");
            } catch (io.bpf4j.api.BpfException e) {
                return e.errno().name();
            }
            return "removed";
        });
        return s;
    }

    @Test
    void pinsAndGetsAtOddPaths() {
        Minimized m = new Minimized("pin-path-diff", List.of());
        for (String p : PATHS) {
            m.check(List.of(new PathOp(false, p)), o -> paths("get " + p, o));
            m.check(List.of(new PathOp(true, p)), o -> paths("pin " + p, o));
        }
        Random r = new Random(Seeds.of(41).findFirst().getAsLong());
        for (int i = 0; i < 20; i++) {
            List<PathOp> ops = new ArrayList<>();
            for (int n = 2 + r.nextInt(5); n > 0; n--) ops.add(new PathOp(r.nextBoolean(), PATHS[r.nextInt(PATHS.length)]));
            String name = "random pins and gets " + i;
            m.check(ops, o -> paths(name, o));
        }
        m.finish("pins and gets");
    }
}
