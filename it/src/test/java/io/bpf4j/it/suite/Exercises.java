package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TaskFdQueryResult;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.UpdateFlags;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real use of each operation, with the objects it needs, all cleaned up on close.
 *
 * <p>When an object an operation needs cannot be made on this backend (its own operation or
 * type is unsupported), the operation is instead called on a placeholder descriptor: a
 * supported operation must then reach the backend (and may fail with an ordinary errno), and an
 * unsupported one must throw {@link BpfUnsupportedException}. Iterators and tokens are always
 * checked this way for now: an iterator link needs a tracing program resolved against vmlinux
 * BTF, and a token needs a delegated bpffs descriptor, which {@link Bpf} cannot open yet.
 */
final class Exercises implements AutoCloseable {
    private static final AtomicInteger PIN_SEQ = new AtomicInteger();
    /** TCX_NEXT: hand the packet to the next program, so attaching to loopback changes nothing. */
    private static final int TCX_NEXT = -1;

    private final Bpf bpf;
    private final Backend backend;
    private final Deque<Runnable> cleanup = new ArrayDeque<>();
    private Operation current;

    /** Thrown when an object the exercise needs is unsupported for another reason. */
    private static final class PrerequisiteMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PrerequisiteMissing(BpfUnsupportedException cause) {
            super(cause.getMessage(), cause);
        }
    }

    Exercises(Bpf bpf, Backend backend) {
        this.bpf = bpf;
        this.backend = backend;
    }

    void run(Operation op) {
        current = op;
        try {
            exercise(op);
        } catch (PrerequisiteMissing missing) {
            dispatch(op);
        }
    }

    /** Calls an operation on placeholder descriptors: it must reach the backend, nothing more. */
    private void dispatch(Operation op) {
        int placeholder = need(() -> bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1)), true);
        try {
            callWithPlaceholder(op, placeholder);
        } catch (BpfUnsupportedException u) {
            throw u;
        } catch (BpfException e) {
            assertNotNull(e.errno(), "reached the backend and failed with an ordinary errno");
        }
    }

    private void callWithPlaceholder(Operation op, int fd) {
        switch (op) {
            case ITER_CREATE -> bpf.iterCreate(fd, 0);
            case TOKEN_CREATE -> bpf.tokenCreate(fd, 0);
            case RAW_TRACEPOINT_OPEN -> bpf.rawTracepointOpen("sys_enter", fd, 0);
            case TASK_FD_QUERY -> bpf.taskFdQuery((int) ProcessHandle.current().pid(), fd, 0);
            case LINK_CREATE -> bpf.linkCreate(LinkSpec.of(fd, backend.loopbackIfindex(), AttachType.TCX_INGRESS, 0));
            case LINK_UPDATE -> bpf.linkUpdate(fd, fd, 0, 0);
            case LINK_DETACH -> bpf.linkDetach(fd);
            case LINK_GET_FD_BY_ID -> bpf.linkGetFdById(Integer.MAX_VALUE);
            case LINK_GET_NEXT_ID -> bpf.linkGetNextId(Integer.MAX_VALUE - 1);
            case PROG_ATTACH -> bpf.progAttach(AttachSpec.of(backend.loopbackIfindex(), fd, AttachType.TCX_INGRESS, 0));
            case PROG_DETACH -> bpf.progDetach(AttachSpec.of(backend.loopbackIfindex(), fd, AttachType.TCX_INGRESS, 0));
            case PROG_TEST_RUN -> bpf.progTestRun(fd, TestRunSpec.ofData(new byte[64]));
            case BTF_GET_FD_BY_ID -> bpf.btfGetFdById(Integer.MAX_VALUE);
            case BTF_GET_NEXT_ID -> bpf.btfGetNextId(Integer.MAX_VALUE - 1);
            case OBJ_GET -> bpf.objGet(backend.pinDir() + "/missing-" + PIN_SEQ.incrementAndGet(), 0);
            default -> throw new AssertionError("no placeholder call for " + op);
        }
    }

    /**
     * Runs a step the exercise depends on; an unsupported step that belongs to another operation
     * (or to an unsupported type) means this operation can only be checked by dispatch.
     */
    private <T> T need(java.util.function.Supplier<T> step, boolean closeFd) {
        try {
            T v = step.get();
            if (closeFd && v instanceof Integer fd) cleanup.push(() -> bpf.closeFd(fd));
            return v;
        } catch (BpfUnsupportedException e) {
            if (e.operation() == current && !isTypeOnly(e)) throw e;
            throw new PrerequisiteMissing(e);
        }
    }

    /** An unsupported program or map type reports its operation (PROG_LOAD) but is a prerequisite. */
    private boolean isTypeOnly(BpfUnsupportedException e) {
        return e.operation() == Operation.PROG_LOAD && current != Operation.PROG_LOAD
                || e.operation() == Operation.MAP_CREATE && current != Operation.MAP_CREATE;
    }

    private int fd(java.util.function.Supplier<Integer> step) {
        return need(step, true);
    }

    private int hash() {
        return fd(() -> bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 8)));
    }

    private int prog(ProgramType type, AttachType expected, long[] insns) {
        ProgramSpec spec = ProgramSpec.of(type, insns, "GPL");
        if (expected != null) spec = spec.withExpectedAttachType(expected);
        ProgramSpec s = spec;
        return fd(() -> bpf.progLoad(s).fd());
    }

    private int socketFilter() {
        return prog(ProgramType.SOCKET_FILTER, null, Programs.returning(0));
    }

    private int tcProg() {
        return prog(ProgramType.SCHED_CLS, null, Programs.returning(TCX_NEXT));
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
            case MAP_CREATE -> hash();
            case MAP_LOOKUP_ELEM -> assertFalse(bpf.mapLookupElem(hash(), k, v, 0));
            case MAP_UPDATE_ELEM -> bpf.mapUpdateElem(hash(), k, BehaviourSuite.u64(5), UpdateFlags.ANY);
            case MAP_DELETE_ELEM -> assertFalse(bpf.mapDeleteElem(hash(), k));
            case MAP_GET_NEXT_KEY -> assertFalse(bpf.mapGetNextKey(hash(), null, new byte[4]));
            case MAP_LOOKUP_AND_DELETE_ELEM -> {
                int q = fd(() -> bpf.mapCreate(MapSpec.of(MapType.QUEUE, 0, 8, 4)));
                need(() -> { bpf.mapUpdateElem(q, null, BehaviourSuite.u64(7), 0); return 0; }, false);
                assertTrue(bpf.mapLookupAndDeleteElem(q, null, v, 0));
                assertEquals(7, BehaviourSuite.u64(v, 0));
            }
            case MAP_FREEZE -> {
                int a = fd(() -> bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 1)));
                bpf.mapFreeze(a);
                BpfException e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(a, new byte[4], v, 0));
                assertEquals(Errno.EPERM, e.errno());
            }
            case MAP_UPDATE_BATCH -> assertEquals(3, bpf.mapUpdateBatch(hash(), keys(3), new byte[24], 3, 0, 0));
            case MAP_DELETE_BATCH -> {
                int h = filledHash();
                assertEquals(3, bpf.mapDeleteBatch(h, keys(3), 3, 0, 0));
                assertFalse(bpf.mapGetNextKey(h, null, new byte[4]), "the map is empty");
            }
            case MAP_LOOKUP_BATCH -> {
                BatchResult r = bpf.mapLookupBatch(filledHash(), null, new byte[8], new byte[32], new byte[64], 8, 0, 0);
                assertEquals(3, r.count());
                assertTrue(r.done());
            }
            case MAP_LOOKUP_AND_DELETE_BATCH -> {
                int h = filledHash();
                BatchResult r = bpf.mapLookupAndDeleteBatch(h, null, new byte[8], new byte[32], new byte[64], 8, 0, 0);
                assertEquals(3, r.count());
                assertFalse(bpf.mapGetNextKey(h, null, new byte[4]), "the map is empty");
            }
            case PROG_LOAD -> socketFilter();
            case PROG_TEST_RUN -> {
                int p = prog(ProgramType.XDP, null, Programs.returning(2));
                TestRunResult r = bpf.progTestRun(p, TestRunSpec.ofData(new byte[64]));
                assertEquals(2, r.retval());
            }
            case PROG_BIND_MAP -> bpf.progBindMap(socketFilter(), hash(), 0);
            case PROG_STREAM_READ_BY_FD -> assertTrue(bpf.progStreamReadByFd(socketFilter(), 1, new byte[256]) >= 0);
            case OBJ_PIN -> pin(hash());
            case OBJ_GET -> {
                int m = hash();
                String path = need(() -> pin(m), false);
                int again = bpf.objGet(path, 0);
                cleanup.push(() -> bpf.closeFd(again));
                assertEquals(mapId(m), mapId(again));
            }
            case OBJ_GET_INFO_BY_FD -> assertEquals(8, bpf.mapGetInfo(hash()).maxEntries());
            case MAP_GET_NEXT_ID -> assertTrue(walk(bpf::mapGetNextId, mapId(hash())));
            case PROG_GET_NEXT_ID -> {
                int p = socketFilter();
                int id = need(() -> bpf.progGetInfo(p).id(), false);
                assertTrue(walk(bpf::progGetNextId, id));
            }
            case MAP_GET_FD_BY_ID -> {
                int id = mapId(hash());
                int again = bpf.mapGetFdById(id);
                cleanup.push(() -> bpf.closeFd(again));
                assertEquals(id, mapId(again));
            }
            case PROG_GET_FD_BY_ID -> {
                int p = socketFilter();
                int id = need(() -> bpf.progGetInfo(p).id(), false);
                int again = bpf.progGetFdById(id);
                cleanup.push(() -> bpf.closeFd(again));
            }
            case BTF_LOAD -> fd(() -> bpf.btfLoad(TinyBtf.intType(), 0).fd());
            case BTF_GET_FD_BY_ID, BTF_GET_NEXT_ID -> {
                int b = fd(() -> bpf.btfLoad(TinyBtf.intType(), 0).fd());
                int id = need(() -> bpf.btfGetInfo(b).id(), false);
                if (op == Operation.BTF_GET_NEXT_ID) {
                    assertTrue(walk(bpf::btfGetNextId, id));
                } else {
                    int again = bpf.btfGetFdById(id);
                    cleanup.push(() -> bpf.closeFd(again));
                }
            }
            case PROG_ATTACH -> attachTcx();
            case PROG_DETACH -> {
                int p = need(this::attachTcx, false);
                bpf.progDetach(AttachSpec.of(backend.loopbackIfindex(), p, AttachType.TCX_INGRESS, 0));
            }
            case PROG_QUERY -> {
                QueryResult r = bpf.progQuery(new QuerySpec(backend.loopbackIfindex(), AttachType.TCX_INGRESS, 0));
                assertNotNull(r.programIds());
            }
            case LINK_CREATE -> tcxLink();
            case LINK_UPDATE -> bpf.linkUpdate(need(this::tcxLink, false), tcProg(), 0, 0);
            case LINK_DETACH -> bpf.linkDetach(need(this::tcxLink, false));
            case LINK_GET_FD_BY_ID, LINK_GET_NEXT_ID -> {
                int l = need(this::tcxLink, false);
                int id = need(() -> bpf.linkGetInfo(l).id(), false);
                if (op == Operation.LINK_GET_NEXT_ID) {
                    assertTrue(walk(bpf::linkGetNextId, id));
                } else {
                    int again = bpf.linkGetFdById(id);
                    cleanup.push(() -> bpf.closeFd(again));
                }
            }
            case RAW_TRACEPOINT_OPEN -> rawTracepoint();
            case TASK_FD_QUERY -> {
                int p = prog(ProgramType.RAW_TRACEPOINT, null, Programs.returning(0));
                int link = fd(() -> bpf.rawTracepointOpen("sys_enter", p, 0));
                TaskFdQueryResult r = bpf.taskFdQuery((int) ProcessHandle.current().pid(), link, 0);
                assertEquals("sys_enter", r.name());
                assertEquals(need(() -> bpf.progGetInfo(p).id(), false), r.progId());
            }
            case ENABLE_STATS -> fd(() -> bpf.enableStats(StatsType.RUN_TIME));
            case ITER_CREATE, TOKEN_CREATE -> dispatch(op);
            default -> throw new AssertionError("no exercise for " + op);
        }
    }

    private int filledHash() {
        int h = hash();
        for (int i = 1; i <= 3; i++) {
            int key = i;
            need(() -> { bpf.mapUpdateElem(h, BehaviourSuite.u32(key), new byte[8], 0); return 0; }, false);
        }
        return h;
    }

    private int mapId(int fd) {
        return need(() -> bpf.mapGetInfo(fd).id(), false);
    }

    private String pin(int fd) {
        String path = backend.pinDir() + "/cap-" + ProcessHandle.current().pid() + "-" + PIN_SEQ.incrementAndGet();
        bpf.objPin(fd, path);
        cleanup.push(() -> backend.unpin(path));
        return path;
    }

    private Integer attachTcx() {
        int p = tcProg();
        int ifindex = backend.loopbackIfindex();
        bpf.progAttach(AttachSpec.of(ifindex, p, AttachType.TCX_INGRESS, 0));
        cleanup.push(() -> bpf.progDetach(AttachSpec.of(ifindex, p, AttachType.TCX_INGRESS, 0)));
        return p;
    }

    private Integer tcxLink() {
        int p = tcProg();
        return fd(() -> bpf.linkCreate(LinkSpec.of(p, backend.loopbackIfindex(), AttachType.TCX_INGRESS, 0)));
    }

    private int rawTracepoint() {
        int p = prog(ProgramType.RAW_TRACEPOINT, null, Programs.returning(0));
        return fd(() -> bpf.rawTracepointOpen("sys_enter", p, 0));
    }

    private static boolean walk(java.util.function.IntUnaryOperator next, int wanted) {
        for (int id = next.applyAsInt(0); id != 0; id = next.applyAsInt(id)) {
            if (id == wanted) return true;
        }
        return false;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().run();
            } catch (RuntimeException e) {
                // a detach after an unsupported attach fails too; the descriptors must still close
                if (first == null && !(e instanceof BpfException)) first = e;
            }
        }
        if (first != null) throw first;
    }
}
