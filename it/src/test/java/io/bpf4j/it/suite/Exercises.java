package io.bpf4j.it.suite;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R6;
import static io.bpf4j.api.asm.Register.R7;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TaskFdQueryResult;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.UpdateFlags;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.testsupport.KernelBtf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * One real use of each operation, with the objects it needs, checking what the operation did,
 * all cleaned up on close.
 *
 * <p>{@link #run} is for operations reported supported: every step must work, and when an
 * object the operation needs cannot be made (another operation or a type is unsupported) the
 * exercise fails, because the operation could not be checked. {@link #runUnsupported} is for
 * operations reported unsupported: the operation itself must throw
 * {@link BpfUnsupportedException}, reached with placeholder descriptors when its prerequisites
 * are missing too.
 */
final class Exercises implements AutoCloseable {
    private static final AtomicInteger PIN_SEQ = new AtomicInteger();
    /** Written by the iterator program once per map it visits ("bpf4" in little-endian). */
    private static final int ITER_MARKER = 0x34667062;

    private final Bpf bpf;
    private final Backend backend;
    private final Profile profile;
    private final Deque<Runnable> cleanup = new ArrayDeque<>();
    private Operation current;

    /** An object the exercise needs is unsupported for a reason other than the operation itself. */
    static final class PrerequisiteMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PrerequisiteMissing(Operation op, BpfUnsupportedException cause) {
            super(op + " could not be exercised: a step it needs is unsupported: " + cause.getMessage(), cause);
        }
    }

    Exercises(Bpf bpf, Backend backend) {
        this.bpf = bpf;
        this.backend = backend;
        this.profile = backend.profile();
    }

    /** Exercises an operation reported supported; any failure, a missing prerequisite included, propagates. */
    void run(Operation op) {
        current = op;
        exercise(op);
    }

    /** Exercises an operation reported unsupported: it must throw {@link BpfUnsupportedException}. */
    void runUnsupported(Operation op) {
        current = op;
        try {
            exercise(op);
        } catch (PrerequisiteMissing missing) {
            int placeholder = fd(() -> bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1)));
            callWithPlaceholder(op, placeholder);
        }
    }

    /** Calls an operation on a placeholder descriptor, so that only its own gate can answer. */
    private void callWithPlaceholder(Operation op, int fd) {
        int target = backend.hookTarget();
        AttachType hook = profile.hookType();
        switch (op) {
            case ITER_CREATE -> bpf.iterCreate(fd, 0);
            case TOKEN_CREATE -> bpf.tokenCreate(fd, 0);
            case RAW_TRACEPOINT_OPEN -> bpf.rawTracepointOpen("sys_enter", fd, 0);
            case TASK_FD_QUERY -> bpf.taskFdQuery((int) ProcessHandle.current().pid(), fd, 0);
            case LINK_CREATE -> bpf.linkCreate(LinkSpec.of(fd, target, hook, 0));
            case LINK_UPDATE -> bpf.linkUpdate(fd, fd, 0, 0);
            case LINK_DETACH -> bpf.linkDetach(fd);
            case LINK_GET_FD_BY_ID -> bpf.linkGetFdById(Integer.MAX_VALUE);
            case LINK_GET_NEXT_ID -> bpf.linkGetNextId(Integer.MAX_VALUE - 1);
            case PROG_ATTACH -> bpf.progAttach(AttachSpec.of(target, fd, hook, 0));
            case PROG_DETACH -> bpf.progDetach(AttachSpec.of(target, fd, hook, 0));
            case PROG_TEST_RUN -> bpf.progTestRun(fd, TestRunSpec.ofData(new byte[64]));
            case PROG_BIND_MAP -> bpf.progBindMap(fd, fd, 0);
            case PROG_STREAM_READ_BY_FD -> bpf.progStreamReadByFd(fd, 1, new byte[16]);
            case BTF_GET_FD_BY_ID -> bpf.btfGetFdById(Integer.MAX_VALUE);
            case BTF_GET_NEXT_ID -> bpf.btfGetNextId(Integer.MAX_VALUE - 1);
            case OBJ_GET -> bpf.objGet(backend.pinDir() + "/missing-" + PIN_SEQ.incrementAndGet(), 0);
            case RINGBUF_MAP, PERF_BUFFER_OPEN, RING_WAIT, MAP_MMAP -> RingExercises.placeholder(bpf, op, fd);
            case INTERFACE_INDEX -> bpf.interfaceIndex("lo");
            case PROG_XLATED -> bpf.progGetXlated(fd);
            case PROG_JITED -> bpf.progGetJited(fd);
            default -> throw new AssertionError("no placeholder call for " + op + ", whose prerequisites are unsupported");
        }
        fail(op + " is reported unsupported, yet a call with a placeholder descriptor returned normally");
    }

    /**
     * Runs a step the exercise depends on. An unsupported step that is the operation itself
     * propagates; one that belongs to another operation (or to an unsupported type) is a missing
     * prerequisite.
     */
    private <T> T need(Supplier<T> step) {
        try {
            return step.get();
        } catch (BpfUnsupportedException e) {
            if (e.operation() == current && !isTypeOnly(e)) throw e;
            throw new PrerequisiteMissing(current, e);
        }
    }

    /** An unsupported program or map type reports its operation (PROG_LOAD) but is a prerequisite. */
    private boolean isTypeOnly(BpfUnsupportedException e) {
        return e.operation() == Operation.PROG_LOAD && current != Operation.PROG_LOAD
                || e.operation() == Operation.MAP_CREATE && current != Operation.MAP_CREATE;
    }

    /** A descriptor the exercise needs, closed on close. */
    private int fd(Supplier<Integer> step) {
        int fd = need(step);
        cleanup.push(() -> bpf.closeFd(fd));
        return fd;
    }

    private int hash() {
        return fd(() -> bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 8)));
    }

    private int prog(ProgramSpec spec) {
        return fd(() -> bpf.progLoad(spec).fd());
    }

    private int trivial() {
        return prog(profile.trivialProgram());
    }

    private int hookProg() {
        return prog(profile.hookProgram());
    }

    private int xdp(int retval) {
        return prog(ProgramSpec.of(ProgramType.XDP, Programs.returning(retval), "GPL"));
    }

    private static byte[] keys(int n) {
        byte[] b = new byte[n * 4];
        for (int i = 0; i < n; i++) b[i * 4] = (byte) (i + 1);
        return b;
    }

    private void exercise(Operation op) {
        byte[] k = BehaviourSuite.u32(1);
        byte[] v = new byte[8];
        switch (op) {
            case MAP_CREATE -> assertEquals(MapType.HASH, need(() -> bpf.mapGetInfo(hash())).type());
            case MAP_LOOKUP_ELEM -> {
                int h = filledHash();
                assertTrue(bpf.mapLookupElem(h, k, v, 0));
                assertEquals(10, BehaviourSuite.u64(v, 0));
                assertFalse(bpf.mapLookupElem(h, BehaviourSuite.u32(99), v, 0), "a missing key");
            }
            case MAP_UPDATE_ELEM -> {
                int h = hash();
                bpf.mapUpdateElem(h, k, BehaviourSuite.u64(5), UpdateFlags.ANY);
                assertTrue(need(() -> bpf.mapLookupElem(h, k, v, 0)));
                assertEquals(5, BehaviourSuite.u64(v, 0));
            }
            case MAP_DELETE_ELEM -> {
                int h = filledHash();
                assertTrue(bpf.mapDeleteElem(h, k));
                assertFalse(bpf.mapDeleteElem(h, k), "deleted already");
                assertFalse(need(() -> bpf.mapLookupElem(h, k, v, 0)));
            }
            case MAP_GET_NEXT_KEY -> {
                int h = filledHash();
                byte[] key = new byte[4];
                int n = 0;
                for (byte[] at = null; bpf.mapGetNextKey(h, at, key); at = key.clone()) n++;
                assertEquals(3, n, "walks the three keys");
            }
            case MAP_LOOKUP_AND_DELETE_ELEM -> {
                int q = fd(() -> bpf.mapCreate(MapSpec.of(MapType.QUEUE, 0, 8, 4)));
                need(() -> { bpf.mapUpdateElem(q, null, BehaviourSuite.u64(7), 0); return 0; });
                assertTrue(bpf.mapLookupAndDeleteElem(q, null, v, 0));
                assertEquals(7, BehaviourSuite.u64(v, 0));
                assertFalse(bpf.mapLookupAndDeleteElem(q, null, v, 0), "the queue is empty");
            }
            case MAP_FREEZE -> {
                int a = fd(() -> bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 1)));
                bpf.mapFreeze(a);
                BpfException e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(a, new byte[4], v, 0));
                assertEquals(Errno.EPERM, e.errno());
            }
            case MAP_UPDATE_BATCH -> {
                int h = hash();
                byte[] values = new byte[24];
                values[8] = 42;
                assertEquals(3, bpf.mapUpdateBatch(h, keys(3), values, 3, 0, 0));
                assertTrue(need(() -> bpf.mapLookupElem(h, BehaviourSuite.u32(2), v, 0)));
                assertEquals(42, BehaviourSuite.u64(v, 0));
            }
            case MAP_DELETE_BATCH -> {
                int h = filledHash();
                assertEquals(3, bpf.mapDeleteBatch(h, keys(3), 3, 0, 0));
                assertFalse(need(() -> bpf.mapGetNextKey(h, null, new byte[4])), "the map is empty");
            }
            case MAP_LOOKUP_BATCH -> {
                byte[] ks = new byte[32];
                byte[] vs = new byte[64];
                BatchResult r = bpf.mapLookupBatch(filledHash(), null, new byte[8], ks, vs, 8, 0, 0);
                assertEquals(3, r.count());
                assertTrue(r.done());
                checkFilled(ks, vs, 3);
            }
            case MAP_LOOKUP_AND_DELETE_BATCH -> {
                int h = filledHash();
                byte[] ks = new byte[32];
                byte[] vs = new byte[64];
                BatchResult r = bpf.mapLookupAndDeleteBatch(h, null, new byte[8], ks, vs, 8, 0, 0);
                assertEquals(3, r.count());
                checkFilled(ks, vs, 3);
                assertFalse(need(() -> bpf.mapGetNextKey(h, null, new byte[4])), "the map is empty");
            }
            case PROG_LOAD -> assertEquals(profile.trivialType(), need(() -> bpf.progGetInfo(trivial())).type());
            case PROG_TEST_RUN -> {
                TestRunResult r = bpf.progTestRun(xdp(2), TestRunSpec.ofData(new byte[64]));
                assertEquals(2, r.retval());
            }
            case PROG_BIND_MAP -> {
                int p = trivial();
                int m = hash();
                bpf.progBindMap(p, m, 0);
                int mapId = mapId(m);
                int[] ids = need(() -> bpf.progGetInfo(p)).mapIds();
                assertArrayEquals(new int[] {mapId}, ids, "the bound map is listed in the program's info");
            }
            // A program that never writes to its stdout stream (1) has nothing to read.
            case PROG_STREAM_READ_BY_FD -> assertEquals(0, bpf.progStreamReadByFd(trivial(), 1, new byte[256]));
            case OBJ_PIN -> {
                int m = hash();
                String path = pin(m);
                int again = fd(() -> bpf.objGet(path, 0));
                assertEquals(mapId(m), mapId(again), "the pin holds the same map");
            }
            case OBJ_GET -> {
                int m = hash();
                String path = need(() -> pin(m));
                int again = bpf.objGet(path, 0);
                cleanup.push(() -> bpf.closeFd(again));
                assertEquals(mapId(m), mapId(again));
            }
            case OBJ_GET_INFO_BY_FD -> assertEquals(8, bpf.mapGetInfo(hash()).maxEntries());
            case MAP_GET_NEXT_ID -> assertTrue(walk(bpf::mapGetNextId, mapId(hash())));
            case PROG_GET_NEXT_ID -> assertTrue(walk(bpf::progGetNextId, progId(trivial())));
            case MAP_GET_FD_BY_ID -> {
                int id = mapId(hash());
                int again = bpf.mapGetFdById(id);
                cleanup.push(() -> bpf.closeFd(again));
                assertEquals(id, mapId(again));
            }
            case PROG_GET_FD_BY_ID -> {
                int id = progId(trivial());
                int again = bpf.progGetFdById(id);
                cleanup.push(() -> bpf.closeFd(again));
                assertEquals(id, progId(again));
            }
            case BTF_LOAD -> {
                int b = fd(() -> bpf.btfLoad(TinyBtf.intType(), 0).fd());
                assertTrue(need(() -> bpf.btfGetInfo(b)).id() > 0, "the kernel gave the BTF an id");
            }
            case BTF_GET_FD_BY_ID, BTF_GET_NEXT_ID -> {
                int b = fd(() -> bpf.btfLoad(TinyBtf.intType(), 0).fd());
                int id = need(() -> bpf.btfGetInfo(b)).id();
                if (op == Operation.BTF_GET_NEXT_ID) {
                    assertTrue(walk(bpf::btfGetNextId, id));
                } else {
                    int again = bpf.btfGetFdById(id);
                    cleanup.push(() -> bpf.closeFd(again));
                    assertEquals(id, need(() -> bpf.btfGetInfo(again)).id());
                }
            }
            case PROG_ATTACH -> {
                int p = hookProg();
                Runnable detach = attach(p);
                Boolean listed = attachedAtHook(progId(p));
                if (listed != null) {
                    assertTrue(listed, "the program is listed at the hook");
                } else {
                    // No query on this platform: a detach works only for an attached program.
                    cleanup.remove(detach);
                    detach.run();
                    BpfException again = assertThrows(BpfException.class, detach::run, "detached twice");
                    assertFalse(again instanceof BpfUnsupportedException, again.getMessage());
                }
            }
            case PROG_DETACH -> {
                int p = hookProg();
                Runnable detach = need(() -> attach(p));
                cleanup.remove(detach);
                bpf.progDetach(AttachSpec.of(backend.hookTarget(), p, profile.hookType(), 0));
                Boolean listed = attachedAtHook(progId(p));
                if (listed != null) assertFalse(listed, "the program is no longer listed at the hook");
                if (profile.detachOfNothingFails()) {
                    BpfException again = assertThrows(BpfException.class, detach::run, "a second detach finds nothing");
                    assertFalse(again instanceof BpfUnsupportedException, again.getMessage());
                } else {
                    detach.run();   // finds nothing, and says so by succeeding
                }
            }
            case PROG_QUERY -> {
                int p = hookProg();
                need(() -> attach(p));
                int[] ids = bpf.progQuery(new QuerySpec(backend.hookTarget(), profile.hookType(), 0)).programIds();
                assertTrue(contains(ids, progId(p)), "the attached program is listed");
            }
            case LINK_CREATE -> {
                int p = hookProg();
                int l = bpf.linkCreate(LinkSpec.of(p, backend.hookTarget(), profile.hookType(), 0));
                cleanup.push(() -> bpf.closeFd(l));
                assertEquals(progId(p), need(() -> bpf.linkGetInfo(l)).progId());
            }
            case LINK_UPDATE -> {
                int l = link();
                int replacement = linkProg();
                bpf.linkUpdate(l, replacement, 0, 0);
                assertEquals(progId(replacement), need(() -> bpf.linkGetInfo(l)).progId(), "the link holds the new program");
            }
            case LINK_DETACH -> {
                int p = linkProg();
                int l = link(p);
                assertTrue(backend.linkedAt(bpf, profile).contains(progId(p)), "linked before the detach");
                bpf.linkDetach(l);
                assertFalse(backend.linkedAt(bpf, profile).contains(progId(p)), "the detached link's program is gone from its hook");
            }
            case LINK_GET_FD_BY_ID, LINK_GET_NEXT_ID -> {
                int l = link();
                int id = need(() -> bpf.linkGetInfo(l)).id();
                if (op == Operation.LINK_GET_NEXT_ID) {
                    assertTrue(walk(bpf::linkGetNextId, id));
                } else {
                    int again = bpf.linkGetFdById(id);
                    cleanup.push(() -> bpf.closeFd(again));
                    assertEquals(id, need(() -> bpf.linkGetInfo(again)).id());
                }
            }
            case RAW_TRACEPOINT_OPEN -> {
                int p = prog(ProgramSpec.of(ProgramType.RAW_TRACEPOINT, Programs.returning(0), "GPL"));
                int l = bpf.rawTracepointOpen("sys_enter", p, 0);
                cleanup.push(() -> bpf.closeFd(l));
                LinkInfo info = need(() -> bpf.linkGetInfo(l));
                assertEquals(LinkType.RAW_TRACEPOINT, info.type());
                assertEquals("sys_enter", ((LinkDetails.RawTracepoint) info.details()).tracepoint());
            }
            case TASK_FD_QUERY -> {
                int p = prog(ProgramSpec.of(ProgramType.RAW_TRACEPOINT, Programs.returning(0), "GPL"));
                int link = fd(() -> bpf.rawTracepointOpen("sys_enter", p, 0));
                TaskFdQueryResult r = bpf.taskFdQuery((int) ProcessHandle.current().pid(), link, 0);
                assertEquals("sys_enter", r.name());
                assertEquals(progId(p), r.progId());
            }
            case ENABLE_STATS -> {
                int p = xdp(2);
                assertEquals(0, need(() -> bpf.progGetInfo(p)).runCount(), "no runs counted before");
                fd(() -> bpf.enableStats(StatsType.RUN_TIME));
                need(() -> bpf.progTestRun(p, TestRunSpec.ofData(new byte[64]).withRepeat(3)));
                assertEquals(3, bpf.progGetInfo(p).runCount(), "with statistics on, every run is counted");
            }
            case ITER_CREATE -> iterate();
            case TOKEN_CREATE -> {
                // A token needs a bpffs mounted with delegation in a user namespace, which this
                // suite cannot make; the placeholder call reaches only the gate.
                int placeholder = fd(() -> bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1)));
                try {
                    bpf.tokenCreate(placeholder, 0);
                } catch (BpfUnsupportedException e) {
                    throw e;
                } catch (BpfException e) {
                    // fall through: the operation reached the backend
                }
                fail("TOKEN_CREATE reached the backend, but this suite cannot make the delegated bpffs a real token needs");
            }
            case RINGBUF_MAP, PERF_BUFFER_OPEN, RING_WAIT, MAP_MMAP -> new RingExercises(bpf, this::fd, c -> cleanup.push(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })).run(op);
            case INTERFACE_INDEX -> {
                // Every Linux network namespace, the simulator and Windows have the loopback device first
                // ("lo" on Linux and the simulator, "Loopback Pseudo-Interface 1" on Windows).
                assertEquals(1, bpf.interfaceIndex(backend.loopbackName()), backend.loopbackName() + "'s index");
                assertThrows(IllegalArgumentException.class, () -> bpf.interfaceIndex("bpf4j-none0"));
            }
            case PROG_XLATED -> {
                int h = hash();
                int p = prog(ProgramSpec.of(profile.trivialType(), new Asm().ldMapFd(R1, h).mov64(R0, profile.trivialReturn()).exit()
                        .toArray(), "GPL"));
                long[] x = bpf.progGetXlated(p);
                assertEquals(need(() -> bpf.progGetInfo(p)).xlatedSize(), x.length * 8);
                // The dump names the map by id, where the program was loaded with a descriptor.
                io.bpf4j.api.asm.Instruction ld = io.bpf4j.api.asm.Instruction.decode(x[0]);
                assertEquals(io.bpf4j.api.asm.Opcodes.PSEUDO_MAP_FD, ld.src());
                assertEquals(need(() -> bpf.mapGetInfo(h)).id(), ld.imm());
                assertEquals(io.bpf4j.api.asm.Opcodes.JMP | io.bpf4j.api.asm.Opcodes.EXIT, (int) x[x.length - 1] & 0xff);
            }
            case PROG_JITED -> {
                int p = trivial();
                assertEquals(need(() -> bpf.progGetInfo(p)).jitedSize(), bpf.progGetJited(p).length);
            }
            default -> throw new AssertionError("no exercise for " + op);
        }
    }

    /**
     * A bpf_map iterator: a TRACING program for {@code bpf_iter_bpf_map} (its BTF id read from
     * vmlinux by the test support, not the library), linked, instantiated, and read until it ends. The program writes a
     * marker per map, so the output is a non-empty run of markers.
     */
    private void iterate() {
        // Read by the test, not the library; without vmlinux BTF (no kernel here) the load must fail anyway.
        int btfId = java.nio.file.Files.exists(KernelBtf.VMLINUX)
                ? KernelBtf.vmlinux().id(KernelBtf.Kind.FUNC, "bpf_iter_bpf_map") : 0;
        long[] insns = new Asm()
                .ldxdw(R6, R1, 0)   // ctx->meta
                .ldxdw(R7, R1, 8)   // ctx->map
                .jeq(R7, 0, "out")                             // the final call has no map
                .ldxdw(R1, R6, 0)   // meta->seq
                .stw(R10, -4, ITER_MARKER)
                .mov64(R2, R10)
                .add64(R2, -4)
                .mov64(R3, 4)
                .call(127)                                                                 // bpf_seq_write
                .label("out")
                .mov64(R0, 0)
                .exit()
                .toArray();
        int p = prog(ProgramSpec.of(ProgramType.TRACING, insns, "GPL").withExpectedAttachType(AttachType.TRACE_ITER)
                .withAttachBtf(btfId, 0, 0));
        hash(); // at least one map to visit
        int link = fd(() -> bpf.linkCreate(new LinkSpec(p, 0, AttachType.TRACE_ITER, 0, LinkOptions.Iter.NONE)));
        int it = bpf.iterCreate(link, 0);
        cleanup.push(() -> bpf.closeFd(it));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[256];
        for (int n; (n = bpf.read(it, buf, 0, buf.length)) > 0; ) out.write(buf, 0, n);
        byte[] all = out.toByteArray();
        assertTrue(all.length >= 4 && all.length % 4 == 0, "read " + all.length + " bytes");
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < all.length; i += 4) assertEquals(ITER_MARKER, b.getInt(i), "record " + i / 4);
    }

    private int filledHash() {
        int h = hash();
        for (int i = 1; i <= 3; i++) {
            int key = i;
            need(() -> { bpf.mapUpdateElem(h, BehaviourSuite.u32(key), BehaviourSuite.u64(10L * key), 0); return 0; });
        }
        return h;
    }

    /** Checks that batch output holds keys 1..n with the values {@link #filledHash} gave them. */
    private static void checkFilled(byte[] ks, byte[] vs, int n) {
        ByteBuffer kb = ByteBuffer.wrap(ks).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer vb = ByteBuffer.wrap(vs).order(ByteOrder.LITTLE_ENDIAN);
        int seen = 0;
        for (int i = 0; i < n; i++) {
            int key = kb.getInt(i * 4);
            assertEquals(10L * key, vb.getLong(i * 8), "value of key " + key);
            seen |= 1 << key;
        }
        assertEquals(0b1110, seen, "keys 1, 2 and 3");
    }

    private int mapId(int fd) {
        return need(() -> bpf.mapGetInfo(fd)).id();
    }

    private int progId(int fd) {
        return need(() -> bpf.progGetInfo(fd)).id();
    }

    private String pin(int fd) {
        String path = backend.pinDir() + "/cap-" + ProcessHandle.current().pid() + "-" + PIN_SEQ.incrementAndGet();
        bpf.objPin(fd, path);
        cleanup.push(() -> backend.unpin(path));
        return path;
    }

    /** Attaches at the profile's hook; returns the cleanup that detaches again. */
    private Runnable attach(int p) {
        int target = backend.hookTarget();
        bpf.progAttach(AttachSpec.of(target, p, profile.hookType(), 0));
        Runnable detach = () -> bpf.progDetach(AttachSpec.of(target, p, profile.hookType(), 0));
        cleanup.push(detach);
        return detach;
    }

    /** Whether the program is listed at the hook; null where the platform has no query. */
    private Boolean attachedAtHook(int progId) {
        if (profile.absentOperations() != null && profile.absentOperations().contains(Operation.PROG_QUERY)) return null;
        int[] ids = need(() -> bpf.progQuery(new QuerySpec(backend.hookTarget(), profile.hookType(), 0))).programIds();
        return contains(ids, progId);
    }

    private int linkProg() {
        return prog(backend.linkProgram(profile));
    }

    private int link() {
        return link(linkProg());
    }

    /** A link made the way the backend makes them (its own call where it has no BPF_LINK_CREATE). */
    private int link(int p) {
        return fd(() -> backend.link(bpf, profile, p));
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) if (x == id) return true;
        return false;
    }

    private static boolean walk(IntUnaryOperator next, int wanted) {
        for (int id = next.applyAsInt(0); id != 0; id = next.applyAsInt(id)) {
            if (id == wanted) return true;
        }
        return false;
    }

    /** Runs every cleanup; the first failure is thrown after all have run, the others suppressed. */
    @Override
    public void close() {
        RuntimeException first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().run();
            } catch (RuntimeException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
