package io.bpf4j.it.diff;

import static io.bpf4j.it.diff.Bytes.k;
import static io.bpf4j.it.diff.Bytes.v;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.UpdateFlags;
import org.junit.jupiter.api.Test;

/**
 * Pins and ids, compared by relation (never by number): a pin reaches the pinned object, a
 * second pin at a path is EEXIST, missing paths are ENOENT, a read-only get cannot write, an
 * object outlives its descriptor while pinned and its id disappears once the last pin and
 * descriptor are gone, fd-by-id reaches the object, next-id moves forward between ours.
 */
class PinsIdsTest {
    @Test
    void pinsAndIds() {
        Scenario s = new Scenario("pins and ids");
        MapOps m = new MapOps(s);
        m.create("map#1", MapSpec.of(MapType.HASH, 4, 8, 4));
        m.create("map#2", MapSpec.of(MapType.ARRAY, 4, 8, 2));
        Progs.load(s, "prog#1", ProgramType.SOCKET_FILTER, 0);
        m.update("map#1", k(1), v(7), UpdateFlags.ANY);
        pin(s, "map#1", "m1");
        pin(s, "map#1", "m1");
        pin(s, "prog#1", "m1");
        pin(s, "prog#1", "p1");
        pin(s, "map#2", "nodir/m2");
        s.step("pin map#2 at /tmp (not bpffs)", c -> {
            c.bpf.objPin(c.fd("map#2"), "/tmp/" + DiffHost.fresh("x"));
            return null;
        });
        get(s, "m1", 0, "map#1b");
        reaches(s, "map#1b", "map#1");
        get(s, "p1", 0, "prog#1b");
        s.step("prog#1b is prog#1 (same id)", c -> c.bpf.progGetInfo(c.fd("prog#1b")).id() == c.bpf.progGetInfo(c.fd("prog#1")).id());
        get(s, "missing", 0, "map#x");
        for (String alias : new String[] {"map#1ro", "map#1wo", "map#1d"}) s.specs.put(alias, s.spec("map#1"));
        get(s, "m1", MapFlags.RDONLY, "map#1ro");
        m.lookup("map#1ro", k(1));
        m.update("map#1ro", k(1), v(8), UpdateFlags.ANY);
        get(s, "m1", MapFlags.WRONLY, "map#1wo");
        m.lookup("map#1wo", k(1));
        m.update("map#1wo", k(2), v(9), UpdateFlags.ANY);
        s.step("fd by id of map#1's id reaches map#1", c -> {
            c.def("map#1c", c.bpf.mapGetFdById(c.bpf.mapGetInfo(c.fd("map#1")).id()));
            return c.bpf.mapGetInfo(c.fd("map#1c")).id() == c.bpf.mapGetInfo(c.fd("map#1")).id();
        });
        s.step("fd by id of prog#1's id reaches prog#1", c -> {
            c.def("prog#1c", c.bpf.progGetFdById(c.bpf.progGetInfo(c.fd("prog#1")).id()));
            return c.bpf.progGetInfo(c.fd("prog#1c")).id() == c.bpf.progGetInfo(c.fd("prog#1")).id();
        });
        s.step("fd by id of an unused id", c -> c.bpf.mapGetFdById(0x7ffffff0));
        s.step("map next id after map#1's id is in (map#1, map#2]", c -> {
            int a = c.bpf.mapGetInfo(c.fd("map#1")).id();
            int b = c.bpf.mapGetInfo(c.fd("map#2")).id();
            int n = c.bpf.mapGetNextId(a);
            return n > a && n <= b;
        });
        s.step("map next id after the largest id", c -> c.bpf.mapGetNextId(0x7ffffff0));
        s.step("keep map#1's id, close every descriptor of it", c -> {
            c.kept.put("id1", k(c.bpf.mapGetInfo(c.fd("map#1")).id()));
            for (String sym : new String[] {"map#1", "map#1b", "map#1c", "map#1ro", "map#1wo"}) c.close(sym);
            return null;
        });
        get(s, "m1", 0, "map#1d");
        m.lookup("map#1d", k(1));
        s.step("unpin m1, close map#1d", c -> {
            c.bpf.objUnpin(c.pin("m1"));
            c.close("map#1d");
            return null;
        });
        get(s, "m1", 0, "map#1e");
        s.step("map#1's id is gone (waits out bpffs' deferred release)", c -> {
            int id = Bytes.le32(c.kept.get("id1"), 0);
            for (int i = 0; i < 200; i++) {
                try {
                    c.bpf.closeFd(c.bpf.mapGetFdById(id));
                } catch (io.bpf4j.api.BpfException e) {
                    return e.errno().name();
                }
                Thread.sleep(10);
            }
            return "still there";
        });
        s.step("unpin m1 again", c -> {
            c.bpf.objUnpin(c.pin("m1"));
            return null;
        });
        Diff.assertSame(s);
    }

    private static void pin(Scenario s, String sym, String name) {
        s.step("pin " + sym + " at " + name, c -> {
            c.bpf.objPin(c.fd(sym), c.pin(name));
            return null;
        });
    }

    private static void get(Scenario s, String name, int flags, String as) {
        s.step("get " + name + (flags != 0 ? " flags 0x" + Integer.toHexString(flags) : "") + " as " + as, c -> {
            c.def(as, c.bpf.objGet(c.pin(name), flags));
            return "got";
        });
    }

    private static void reaches(Scenario s, String a, String b) {
        s.step(a + " is " + b + " (same id)", c -> c.bpf.mapGetInfo(c.fd(a)).id() == c.bpf.mapGetInfo(c.fd(b)).id());
    }
}
