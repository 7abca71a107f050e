package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import org.junit.jupiter.api.Test;

class ObjectsTest extends SimTestBase {
    @Test
    void descriptorsStartAtThreeAndReuseTheLowest() {
        int a = map(MapType.ARRAY, 4, 4, 1);
        int b = map(MapType.ARRAY, 4, 4, 1);
        int c = map(MapType.ARRAY, 4, 4, 1);
        assertEquals(3, a);
        assertEquals(4, b);
        assertEquals(5, c);
        sim.closeFd(b);
        int d = sim.dupFd(a);
        assertEquals(4, d, "the lowest free number is reused");
        fails(Errno.EBADF, () -> sim.closeFd(b + 100));
        sim.closeFd(a);
        sim.closeFd(c);
        sim.closeFd(d);
        fails(Errno.EBADF, () -> sim.closeFd(d));
        assertThrows(IllegalArgumentException.class, () -> sim.closeFd(1));
        // 0-2 are open standard streams, not BPF objects: __bpf_map_get() says EINVAL, not EBADF.
        fails(Errno.EINVAL, () -> sim.mapLookupElem(0, u32(0), new byte[4], 0));
        fails(Errno.EINVAL, () -> sim.mapGetInfo(2));
    }

    @Test
    void idsGrowAndVanishWithTheLastReference() {
        int a = map(MapType.HASH, 4, 4, 1);
        int b = map(MapType.HASH, 4, 4, 1);
        int ida = sim.mapGetInfo(a).id();
        int idb = sim.mapGetInfo(b).id();
        assertEquals(1, ida);
        assertEquals(2, idb);
        assertEquals(ida, sim.mapGetNextId(0));
        assertEquals(idb, sim.mapGetNextId(ida));
        assertEquals(0, sim.mapGetNextId(idb), "no more ids");
        // bpf_obj_get_next_id() refuses INT_MAX.
        fails(Errno.EINVAL, () -> sim.mapGetNextId(Integer.MAX_VALUE));
        int again = sim.mapGetFdById(idb);
        sim.closeFd(b);
        assertEquals(idb, sim.mapGetNextId(ida), "a second descriptor keeps the map");
        sim.closeFd(again);
        assertEquals(0, sim.mapGetNextId(ida), "gone with its last descriptor");
        fails(Errno.ENOENT, () -> sim.mapGetFdById(idb));
        int c = map(MapType.HASH, 4, 4, 1);
        assertEquals(3, sim.mapGetInfo(c).id(), "ids are not reused");
        sim.closeFd(a);
        sim.closeFd(c);
    }

    @Test
    void programsHoldTheirMaps() {
        int m = map(MapType.ARRAY, 4, 8, 1);
        int mapId = sim.mapGetInfo(m).id();
        long[] insns = new Asm().ldMapFd(Register.R1, m).mov64(Register.R0, 0).exit().toArray();
        int p = sim.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, insns, "GPL").withName("holder")).fd();
        sim.closeFd(m);
        assertEquals(1, sim.liveMaps(), "the program's reference keeps the map");
        ProgramInfo info = sim.progGetInfo(p);
        assertArrayEquals(new int[] {mapId}, info.mapIds());
        assertEquals("holder", info.name());
        assertEquals(32, info.xlatedSize());
        assertEquals(3, info.verifiedInstructions(), "the kernel processes 3 insns here");
        assertTrue(info.gplCompatible());
        // Linux 6.18's tag for exactly these instructions (the map fd is zeroed before hashing).
        assertEquals("0bd0168676c7c779", info.tag());
        sim.closeFd(p);
        assertEquals(0, sim.liveMaps(), "the map goes with the program");
        assertEquals(0, sim.livePrograms());
    }

    @Test
    void pinsKeepObjectsAndFollowBpffsRules() {
        int m = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 2).withName("pinned"));
        sim.mkdir("/sys/fs/bpf/dir");
        sim.objPin(m, "/sys/fs/bpf/dir/m");
        // Kernel: EEXIST twice, EINVAL for a descriptor that is no BPF object, ENOENT without the
        // directory, EPERM outside bpffs, ENOENT/EACCES when getting nothing or a directory.
        fails(Errno.EEXIST, () -> sim.objPin(m, "/sys/fs/bpf/dir/m"));
        fails(Errno.EINVAL, () -> sim.objPin(999, "/sys/fs/bpf/dir/x"));
        fails(Errno.ENOENT, () -> sim.objPin(m, "/sys/fs/bpf/nodir/x"));
        fails(Errno.EPERM, () -> sim.objPin(m, "/tmp/x"));
        fails(Errno.ENOENT, () -> sim.objGet("/sys/fs/bpf/dir/none", 0));
        fails(Errno.EACCES, () -> sim.objGet("/sys/fs/bpf/dir", 0));
        int id = sim.mapGetInfo(m).id();
        sim.closeFd(m);
        assertEquals(1, sim.liveMaps(), "the pin keeps the map");
        int ro = sim.objGet("/sys/fs/bpf/dir/m", MapFlags.RDONLY);
        MapInfo info = sim.mapGetInfo(ro);
        assertEquals(id, info.id());
        assertEquals("pinned", info.name());
        assertTrue(sim.mapLookupElem(ro, u32(0), new byte[8], 0));
        fails(Errno.EPERM, () -> sim.mapUpdateElem(ro, u32(0), u64(1), 0));
        // Both is no mode: refused in Java on every backend, as the Linux backend does.
        rejected("fileFlags", () -> sim.objGet("/sys/fs/bpf/dir/m", MapFlags.RDONLY | MapFlags.WRONLY));
        sim.closeFd(ro);
        fails(Errno.EISDIR, () -> sim.objUnpin("/sys/fs/bpf/dir"));
        fails(Errno.ENOTEMPTY, () -> sim.rmdir("/sys/fs/bpf/dir"));
        sim.objUnpin("/sys/fs/bpf/dir/m");
        assertEquals(0, sim.liveMaps(), "unpinning dropped the last reference");
        sim.rmdir("/sys/fs/bpf/dir");
        fails(Errno.ENOENT, () -> sim.rmdir("/sys/fs/bpf/dir"));
    }

    @Test
    void readOnlyWriteOnlyAndFrozenMaps() {
        int ro = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 1).withFlags(MapFlags.RDONLY));
        fails(Errno.EPERM, () -> sim.mapUpdateElem(ro, u32(0), u64(1), 0));
        fails(Errno.EPERM, () -> sim.mapFreeze(ro));
        // Linux 6.18: RDONLY belongs to the creating descriptor; the map's flags show 0, and a
        // descriptor got by id may write.
        assertEquals(0, sim.mapGetInfo(ro).flags());
        int byId = sim.mapGetFdById(sim.mapGetInfo(ro).id());
        sim.mapUpdateElem(byId, u32(0), u64(1), 0);
        sim.closeFd(byId);
        int wo = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 1).withFlags(MapFlags.WRONLY));
        fails(Errno.EPERM, () -> sim.mapLookupElem(wo, u32(0), new byte[8], 0));
        sim.mapUpdateElem(wo, u32(0), u64(1), 0);
        int f = map(MapType.ARRAY, 4, 8, 1);
        sim.mapFreeze(f);
        fails(Errno.EPERM, () -> sim.mapUpdateElem(f, u32(0), u64(1), 0));
        // A frozen map has lost write permission, so Linux 6.18 answers a second freeze with EPERM.
        fails(Errno.EPERM, () -> sim.mapFreeze(f));
        assertTrue(sim.mapLookupElem(f, u32(0), new byte[8], 0));
        sim.closeFd(ro);
        sim.closeFd(wo);
        sim.closeFd(f);
    }

    @Test
    void progArraysAreClearedWhenTheirLastUserReferenceGoes() {
        int pa = map(MapType.PROG_ARRAY, 4, 4, 4);
        int p = prog(ProgramType.SOCKET_FILTER, ret(0));
        int pid = sim.progGetInfo(p).id();
        sim.mapUpdateElem(pa, u32(1), u32(p), 0);
        byte[] v = new byte[4];
        assertTrue(sim.mapLookupElem(pa, u32(1), v, 0));
        assertEquals(pid, u32(v, 0), "user space reads the program's id");
        // Kernel: a map fd is EINVAL, a bad fd EBADF, an empty slot ENOENT, out of range E2BIG.
        fails(Errno.EINVAL, () -> sim.mapUpdateElem(pa, u32(0), u32(pa), 0));
        fails(Errno.EBADF, () -> sim.mapUpdateElem(pa, u32(0), u32(999), 0));
        fails(Errno.E2BIG, () -> sim.mapDeleteElem(pa, u32(9)));
        sim.closeFd(p);
        assertEquals(1, sim.livePrograms(), "the slot holds the program");
        sim.objPin(pa, "/sys/fs/bpf/pa");
        sim.closeFd(pa);
        assertEquals(1, sim.livePrograms(), "the pin is a user reference: slots stay");
        sim.objUnpin("/sys/fs/bpf/pa");
        assertEquals(0, sim.livePrograms(), "last user reference cleared the slots");
        assertEquals(0, sim.liveMaps());
    }

    @Test
    void mapsOfMapsTakeDescriptorsAndGiveIds() {
        int tmpl = map(MapType.ARRAY, 4, 8, 2);
        int outer = sim.mapCreate(MapSpec.of(MapType.ARRAY_OF_MAPS, 4, 4, 2).withInnerMapFd(tmpl));
        int inner = map(MapType.ARRAY, 4, 8, 2);
        int wrong = map(MapType.ARRAY, 4, 8, 3);
        sim.mapUpdateElem(outer, u32(0), u32(inner), 0);
        fails(Errno.EINVAL, () -> sim.mapUpdateElem(outer, u32(1), u32(wrong), 0));
        byte[] v = new byte[4];
        assertTrue(sim.mapLookupElem(outer, u32(0), v, 0));
        assertEquals(sim.mapGetInfo(inner).id(), u32(v, 0));
        fails(Errno.EINVAL, () -> sim.mapCreate(MapSpec.of(MapType.ARRAY_OF_MAPS, 4, 4, 2).withInnerMapFd(outer)));
        int hom = sim.mapCreate(MapSpec.of(MapType.HASH_OF_MAPS, 4, 4, 2).withInnerMapFd(tmpl));
        // The template's own type decides: an array template compares max_entries too.
        fails(Errno.EINVAL, () -> sim.mapUpdateElem(hom, u32(7), u32(wrong), 0));
        sim.mapUpdateElem(hom, u32(7), u32(inner), 0);
        sim.mapUpdateElem(hom, u32(8), u32(tmpl), 0);
        sim.closeFd(inner);
        sim.closeFd(wrong);
        sim.closeFd(tmpl);
        assertEquals(4, sim.liveMaps(), "two outer maps and the two inner maps in their slots; the unused one is gone");
        sim.closeFd(outer);
        sim.closeFd(hom);
        assertEquals(0, sim.liveMaps());
    }
}
