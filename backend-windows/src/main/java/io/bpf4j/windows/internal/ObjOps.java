package io.bpf4j.windows.internal;

import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.internal.rules.ObjRules;
import io.bpf4j.windows.internal.sys.Export;
import io.bpf4j.windows.internal.uapi.Attr;
import io.bpf4j.windows.internal.uapi.Infos;
import io.bpf4j.windows.internal.uapi.PinPaths;
import io.bpf4j.windows.internal.uapi.WinErrors;
import java.nio.ByteBuffer;

/**
 * Pins ({@code BPF:\} paths from 1.0.0-rc1, paths as given at 0.21.x; unpin through
 * {@code ebpf_object_unpin}), ids, descriptors by id,
 * and object info through {@code bpf_obj_get_info_by_fd}, which fills the Windows structs: full
 * 63-character names and, for programs, every map id (queried first with no array, since
 * Windows fails with EFAULT when the array is too small).
 */
final class ObjOps {
    private static final int ENOENT = 2;
    private static final int EFAULT = 14;
    private final WinBackend b;

    ObjOps(WinBackend b) {
        this.b = b;
    }

    void pin(int fd, String path) {
        ObjRules.pin(fd, path);
        b.need(Operation.OBJ_PIN);
        PinPaths.stored(path, b.release.canonicalizesPins());
        Scratch s = b.s();
        long p = s.putString(Scratch.STRING, path);
        int r;
        if (b.mode == Mode.SYSCALL) {
            Attr.obj(s.attr(), p, fd);
            r = b.sys(Operation.OBJ_PIN, Attr.OBJ_PIN);
        } else {
            r = b.api.bpfObjPin(fd, p);
        }
        WinBackend.check(Operation.OBJ_PIN, "pin \"" + path + "\"", r);
    }

    int get(String path, int fileFlags) {
        ObjRules.get(path, fileFlags);
        b.need(Operation.OBJ_GET);
        if (fileFlags != 0) {
            throw Fail.unsupported(Operation.OBJ_GET, "not in eBPF for Windows: read-only or write-only pins (file_flags)");
        }
        PinPaths.stored(path, b.release.canonicalizesPins());
        Scratch s = b.s();
        long p = s.putString(Scratch.STRING, path);
        int r;
        if (b.mode == Mode.SYSCALL) {
            Attr.obj(s.attr(), p, 0);
            r = b.sys(Operation.OBJ_GET, Attr.OBJ_GET);
        } else {
            r = b.api.bpfObjGet(p);
        }
        return WinBackend.check(Operation.OBJ_GET, "pin \"" + path + "\"", r);
    }

    void unpin(String path) {
        ObjRules.unpin(path);
        b.need(Operation.OBJ_PIN, Export.EBPF_OBJECT_UNPIN);
        PinPaths.stored(path, b.release.canonicalizesPins());
        int r = b.api.ebpfObjectUnpin(b.s().putString(Scratch.STRING, path));
        if (r != WinErrors.EBPF_SUCCESS) throw Fail.result(Operation.OBJ_PIN, "pin \"" + path + "\"", r, "ebpf_object_unpin");
    }

    int nextId(Operation op, int cmd, int start) {
        ObjRules.startId(start);
        b.need(op);
        Scratch s = b.s();
        int r;
        int next;
        if (b.mode == Mode.SYSCALL) {
            Attr.id(s.attr(), start);
            r = b.sys(op, cmd);
            next = s.attr.getInt(Attr.NEXT_ID);
        } else {
            s.out();
            r = switch (op) {
                case PROG_GET_NEXT_ID -> b.api.bpfProgGetNextId(start, s.outAddr);
                case MAP_GET_NEXT_ID -> b.api.bpfMapGetNextId(start, s.outAddr);
                default -> b.api.bpfLinkGetNextId(start, s.outAddr);
            };
            next = s.out.getInt(0);
        }
        if (r == -ENOENT) return 0;
        WinBackend.check(op, null, r);
        return next;
    }

    int fdById(Operation op, int cmd, int id) {
        ObjRules.id(id);
        b.need(op);
        int r;
        if (b.mode == Mode.SYSCALL) {
            Attr.id(b.s().attr(), id);
            r = b.sys(op, cmd);
        } else {
            r = switch (op) {
                case PROG_GET_FD_BY_ID -> b.api.bpfProgGetFdById(id);
                case MAP_GET_FD_BY_ID -> b.api.bpfMapGetFdById(id);
                default -> b.api.bpfLinkGetFdById(id);
            };
        }
        return WinBackend.check(op, "id " + id, r);
    }

    /** Fills the scratch info buffer; returns the struct size the library reported. */
    private int info(int fd, int expected, String what) {
        Scratch s = b.s();
        s.out().putInt(0, Infos.MAX_SIZE);
        int r = b.api.bpfObjGetInfoByFd(fd, s.infoAddr, s.outAddr);
        WinBackend.check(Operation.OBJ_GET_INFO_BY_FD, what + " fd " + fd, r);
        int len = s.out.getInt(0);
        if (len != expected) {
            throw ProgOps.invalid(Operation.OBJ_GET_INFO_BY_FD, "fd " + fd + " is not a " + what
                    + " (the library wrote a " + len + "-byte info struct)");
        }
        return len;
    }

    MapInfo mapInfo(int fd) {
        b.s().info();
        info(fd, Infos.MAP_SIZE, "map");
        return Infos.map(b.s().info);
    }

    ProgramInfo progInfo(int fd) {
        Scratch s = b.s();
        while (true) {
            s.info();
            info(fd, Infos.PROG_SIZE, "program");
            int n = s.info.getInt(Infos.PROG_NR_MAP_IDS);
            if (n == 0) return Infos.program(s.info, new int[0]);
            long ids = s.reserve(Scratch.AUX, n * 4);
            ByteBuffer i = s.info();
            i.putInt(Infos.PROG_NR_MAP_IDS, n);
            i.putLong(Infos.PROG_MAP_IDS, ids);
            s.out().putInt(0, Infos.MAX_SIZE);
            int r = b.api.bpfObjGetInfoByFd(fd, s.infoAddr, s.outAddr);
            if (r == -EFAULT) continue;   // a map was bound in between: ask again
            WinBackend.check(Operation.OBJ_GET_INFO_BY_FD, "program fd " + fd, r);
            int got = Math.min(n, i.getInt(Infos.PROG_NR_MAP_IDS));
            int[] mapIds = new int[got];
            ByteBuffer a = s.buffer(Scratch.AUX);
            for (int k = 0; k < got; k++) mapIds[k] = a.getInt(k * 4);
            return Infos.program(i, mapIds);
        }
    }

    LinkInfo linkInfo(int fd) {
        b.s().info();
        info(fd, Infos.LINK_SIZE, "link");
        return Infos.link(b.s().info);
    }
}
