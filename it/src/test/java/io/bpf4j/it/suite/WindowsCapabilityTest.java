package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.testsupport.Need;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The capability suite on the windows backend. The suite exercises seven operations through a
 * SOCKET_FILTER program or the TCX hook, neither of which eBPF for Windows has; those seven are
 * exercised here with a sock_addr program (netebpfext, which every eBPF for Windows install has,
 * provides it; XDP needs xdp-for-windows besides, and the legacy attach is allowed on sock_addr
 * and sock_ops hooks only) under the same rule: a supported operation works, an unsupported one
 * throws {@link BpfUnsupportedException} with the report's reason. Which program type to use is
 * never decided from the report under test.
 */
class WindowsCapabilityTest extends CapabilitySuite {
    private static final Set<Operation> WINDOWS_EXERCISES = Set.of(Operation.PROG_LOAD, Operation.PROG_BIND_MAP,
            Operation.PROG_STREAM_READ_BY_FD, Operation.PROG_GET_NEXT_ID, Operation.PROG_GET_FD_BY_ID,
            Operation.PROG_ATTACH, Operation.PROG_DETACH);

    private final WindowsBackend backend = new WindowsBackend();

    @Override
    protected Backend backend() {
        return backend;
    }

    @TestFactory
    @Override
    List<DynamicTest> everyOperationDoesWhatTheReportSays() {
        List<DynamicTest> tests = super.everyOperationDoesWhatTheReportSays().stream()
                .filter(t -> WINDOWS_EXERCISES.stream().noneMatch(op -> op.name().equals(t.getDisplayName())))
                .collect(Collectors.toList());
        for (Operation op : WINDOWS_EXERCISES) tests.add(DynamicTest.dynamicTest(op.name() + " (Windows exercise)", () -> check(op)));
        return tests;
    }

    private void check(Operation op) {
        Support claim = bpf.capabilities().operation(op);
        Deque<Integer> fds = new ArrayDeque<>();
        try {
            if (claim.supported()) {
                try {
                    exercise(op, fds);
                } catch (BpfUnsupportedException e) {
                    fail(op + " is reported supported but threw " + e.getMessage(), e);
                }
            } else {
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> exercise(op, fds),
                        op + " is reported unsupported (" + claim.reason() + ") but did not throw BpfUnsupportedException");
                assertEquals(op, e.operation(), e.getMessage());
                assertTrue(e.getMessage().contains(claim.reason()), e.getMessage());
            }
        } finally {
            while (!fds.isEmpty()) bpf.closeFd(fds.pop());
        }
    }

    private int sockAddr(Deque<Integer> fds) {
        int fd = bpf.progLoad(ProgramSpec.of(ProgramType.CGROUP_SOCK_ADDR, Programs.returning(1), "GPL")
                .withExpectedAttachType(AttachType.CGROUP_INET4_CONNECT)).fd();
        fds.push(fd);
        return fd;
    }

    private void exercise(Operation op, Deque<Integer> fds) {
        switch (op) {
            case PROG_LOAD -> sockAddr(fds);
            case PROG_BIND_MAP -> {
                int p = sockAddr(fds);
                int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 8));
                fds.push(m);
                bpf.progBindMap(p, m, 0);
            }
            case PROG_STREAM_READ_BY_FD -> {
                int m = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
                fds.push(m);
                bpf.progStreamReadByFd(m, 1, new byte[16]);
            }
            case PROG_GET_NEXT_ID, PROG_GET_FD_BY_ID -> {
                int id = bpf.progGetInfo(sockAddr(fds)).id();
                if (op == Operation.PROG_GET_NEXT_ID) {
                    boolean found = false;
                    for (int n = bpf.progGetNextId(0); n != 0; n = bpf.progGetNextId(n)) found |= n == id;
                    assertTrue(found, "next id reaches the program");
                } else {
                    int again = bpf.progGetFdById(id);
                    fds.push(again);
                    assertEquals(id, bpf.progGetInfo(again).id());
                }
            }
            case PROG_ATTACH, PROG_DETACH -> {
                Need.that(backend.canAttachSockAddr(), "no cgroup v2 to stand in for the compartments");
                int p = sockAddr(fds);
                AttachSpec spec = AttachSpec.of(backend.allCompartments(), p, AttachType.CGROUP_INET4_CONNECT, 0);
                bpf.progAttach(spec);
                bpf.progDetach(spec);
            }
            default -> throw new AssertionError("no Windows exercise for " + op);
        }
    }
}
