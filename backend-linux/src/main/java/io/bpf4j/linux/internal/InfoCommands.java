package io.bpf4j.linux.internal;

import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.Infos;
import io.bpf4j.linux.internal.uapi.LinkInfos;
import io.bpf4j.linux.internal.uapi.ObjAttrs;
import java.nio.ByteBuffer;

/**
 * {@code BPF_OBJ_GET_INFO_BY_FD} for maps, programs, links and BTF objects, decoded by the
 * layouts in {@code io.bpf4j.linux.internal.uapi}. Variable-length parts (a program's map ids, names) are read in a second
 * call into room sized from the first call's answer.
 */
public final class InfoCommands {
    private static final Operation OP = Operation.OBJ_GET_INFO_BY_FD;
    private static final int NAME_ROOM = 4096;

    private final Kernel k;

    /**
     * Creates the family.
     *
     * @param k the shared context
     */
    public InfoCommands(Kernel k) {
        this.k = k;
    }

    /** One info call into slot AUX of {@code size} bytes, after {@code prepare} set pointers. */
    private ByteBuffer call(int fd, int size, String object, java.util.function.Consumer<ByteBuffer> prepare) {
        return call(OP, fd, size, object, prepare);
    }

    /** The same, with errors reported as {@code op}. */
    private ByteBuffer call(Operation op, int fd, int size, String object, java.util.function.Consumer<ByteBuffer> prepare) {
        Scratch s = k.scratch();
        long addr = s.reserve(Scratch.AUX, size);
        ByteBuffer b = s.buf(Scratch.AUX);
        if (prepare != null) prepare.accept(b);
        ObjAttrs.info(s.attr(), fd, addr, size);
        long rc = k.bpf(OP, s);
        if (rc < 0) throw Kernel.error(op, object, rc, null);
        return b;
    }

    /**
     * A map's info.
     *
     * @param fd the map
     * @return the info
     */
    public MapInfo map(int fd) {
        Kernel.checkFd(fd, "mapFd");
        k.gate.require(OP);
        FdKind.require(fd, FdKind.MAP, "mapFd");
        return Infos.map(call(fd, Infos.MAP_INFO_SIZE, "map fd " + fd, null));
    }

    /**
     * A program's info, with its map ids.
     *
     * @param fd the program
     * @return the info
     */
    public ProgramInfo program(int fd) {
        Kernel.checkFd(fd, "progFd");
        k.gate.require(OP);
        FdKind.require(fd, FdKind.PROG, "progFd");
        String obj = "program fd " + fd;
        int n = call(fd, Infos.PROG_INFO_SIZE, obj, null).getInt(Infos.PROG_NR_MAP_IDS);
        if (n == 0) return Infos.program(k.scratch().buf(Scratch.AUX), new int[0]);
        // Second call with room for exactly the ids the first one announced; the kernel copies
        // at most nr_map_ids of them and reports the true count again.
        Scratch s = k.scratch();
        long ids = s.reserve(Scratch.AUX2, n * 4);
        ByteBuffer b = call(fd, Infos.PROG_INFO_SIZE, obj, bb -> {
            bb.putInt(Infos.PROG_NR_MAP_IDS, n);
            bb.putLong(Infos.PROG_MAP_IDS, ids);
        });
        int got = Math.min(n, b.getInt(Infos.PROG_NR_MAP_IDS));
        int[] mapIds = new int[got];
        ByteBuffer idb = s.buf(Scratch.AUX2);
        for (int i = 0; i < got; i++) mapIds[i] = idb.getInt(i * 4);
        return Infos.program(b, mapIds);
    }

    /**
     * A program's translated instructions ({@code xlated_prog_insns}).
     *
     * @param fd the program
     * @return one word per instruction slot
     */
    public long[] xlated(int fd) {
        byte[] b = image(fd, Operation.PROG_XLATED, Infos.PROG_XLATED_LEN, Infos.PROG_XLATED_INSNS);
        if (b.length % 8 != 0) throw new IllegalStateException("program fd " + fd + ": xlated_prog_len " + b.length + " is no multiple of 8");
        long[] insns = new long[b.length / 8];
        ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(insns);
        return insns;
    }

    /**
     * A program's JIT image ({@code jited_prog_insns}): empty when it was not JIT-compiled.
     *
     * @param fd the program
     * @return the machine code
     */
    public byte[] jited(int fd) {
        return image(fd, Operation.PROG_JITED, Infos.PROG_JITED_LEN, Infos.PROG_JITED_INSNS);
    }

    /**
     * One of a program's images: a first call learns its size, a second copies it into room of
     * exactly that size. {@code bpf_prog_get_info_by_fd()} copies at most the room given
     * ({@code min(len, ulen)}) and reports the real size again, which must not have changed (a
     * loaded program's instructions and image never do); it zeroes the pointer instead of copying
     * when {@code bpf_dump_raw_ok()} refuses this process (kernel/bpf/syscall.c, Linux 6.18).
     */
    private byte[] image(int fd, Operation op, int lenAt, int ptrAt) {
        Kernel.checkFd(fd, "progFd");
        k.gate.require(op);
        FdKind.require(fd, FdKind.PROG, "progFd");
        String obj = "program fd " + fd;
        int size = call(op, fd, Infos.PROG_INFO_SIZE, obj, null).getInt(lenAt);
        if (size == 0) return new byte[0];
        if (size < 0) throw new IllegalStateException(obj + ": the kernel reports an image of " + Integer.toUnsignedString(size) + " bytes");
        Scratch s = k.scratch();
        try {
            long room = s.reserve(Scratch.AUX2, size);
            ByteBuffer b = call(op, fd, Infos.PROG_INFO_SIZE, obj, bb -> {
                bb.putInt(lenAt, size);
                bb.putLong(ptrAt, room);
            });
            int real = b.getInt(lenAt);
            if (real != size) throw new IllegalStateException(obj + " changed size between two info calls: " + size + " then " + real);
            if (b.getLong(ptrAt) != room) {
                throw new io.bpf4j.api.BpfException(Kernel.BACKEND, op, obj, io.bpf4j.api.Errno.EPERM, 1,
                        "the kernel withholds program images from this process (bpf_dump_raw_ok: kernel.kptr_restrict and"
                                + " CAP_SYSLOG decide)");
            }
            byte[] out = new byte[size];
            s.get(Scratch.AUX2, out, 0, size);
            return out;
        } finally {
            s.trimIfGrown();
        }
    }

    /**
     * A link's info, with its name where the link type has one.
     *
     * @param fd the link
     * @return the info
     */
    public LinkInfo link(int fd) {
        Kernel.checkFd(fd, "linkFd");
        k.gate.require(OP);
        FdKind.require(fd, FdKind.LINK, "linkFd");
        String obj = "link fd " + fd;
        ByteBuffer first = call(fd, LinkInfos.SIZE, obj, null);
        int[] slot = LinkInfos.nameSlot(first);
        if (slot == null) return LinkInfos.decode(first, null);
        Scratch s = k.scratch();
        long name = s.reserve(Scratch.AUX2, NAME_ROOM);
        ByteBuffer b = call(fd, LinkInfos.SIZE, obj, bb -> {
            bb.putLong(slot[0], name);
            bb.putInt(slot[1], NAME_ROOM);
        });
        return LinkInfos.decode(b, BpfAttr.getString(s.buf(Scratch.AUX2), 0, NAME_ROOM));
    }

    /**
     * A BTF object's info, with its name.
     *
     * @param fd the BTF object
     * @return the info
     */
    public BtfInfo btf(int fd) {
        Kernel.checkFd(fd, "btfFd");
        k.gate.require(OP);
        FdKind.require(fd, FdKind.BTF, "btfFd");
        Scratch s = k.scratch();
        long name = s.reserve(Scratch.AUX2, NAME_ROOM);
        ByteBuffer b = call(fd, Infos.BTF_INFO_SIZE, "BTF fd " + fd, bb -> {
            bb.putLong(Infos.BTF_NAME, name);
            bb.putInt(Infos.BTF_NAME_LEN, NAME_ROOM);
        });
        return Infos.btf(b, BpfAttr.getString(s.buf(Scratch.AUX2), 0, NAME_ROOM));
    }

    /**
     * A BTF object's raw bytes. A first call learns {@code btf_size}; a second copies that many
     * into room of exactly that size ({@code btf_get_info_by_fd()} copies at most the room given
     * and reports the real size). BTF objects never change, so the two sizes agree.
     *
     * @param fd the BTF object
     * @return header, types and strings
     */
    public byte[] btfData(int fd) {
        Kernel.checkFd(fd, "btfFd");
        k.gate.require(OP);
        FdKind.require(fd, FdKind.BTF, "btfFd");
        String obj = "BTF fd " + fd;
        int size = call(fd, Infos.BTF_INFO_SIZE, obj, null).getInt(Infos.BTF_SIZE);
        if (size <= 0) return new byte[0];
        Scratch s = k.scratch();
        try {
            long data = s.reserve(Scratch.AUX2, size);
            ByteBuffer b = call(fd, Infos.BTF_INFO_SIZE, obj, bb -> {
                bb.putLong(Infos.BTF_DATA, data);
                bb.putInt(Infos.BTF_SIZE, size);
            });
            int real = b.getInt(Infos.BTF_SIZE);
            if (real != size) {
                throw new IllegalStateException(obj + " changed size between two info calls: " + size + " then " + real);
            }
            byte[] out = new byte[size];
            s.get(Scratch.AUX2, out, 0, size);
            return out;
        } finally {
            // vmlinux's BTF is megabytes: do not keep room that size for the thread's next call.
            s.trimIfGrown();
        }
    }
}
