package io.bpf4j.it.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Operation;
import io.bpf4j.testsupport.ExpectedKernel;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;

/**
 * The privilege matrix: bpf4j in containers with the privileges agents really run with, each cell
 * holding the capability report to the truth in both directions (the capability suite, run inside
 * the cell, exercises every operation claimed supported and checks every one claimed unsupported
 * against {@link Privileges} and the CI kernel's table), and {@code Bpf.open()} and
 * {@code bpf4j probe} failing, where they must, with what is missing and the flag that grants it.
 *
 * <p>Without a Docker daemon the matrix is skipped with the reason, and fails in CI ({@link Need}).
 * The results are written to {@code target/privilege-matrix.md}, and {@code docs/privileges.md}
 * must show the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivilegeMatrixTest {
    private final Map<Cell, CellOutput> results = new EnumMap<>(Cell.class);
    private boolean narrowOnHost;

    /**
     * Checked in each test rather than in a {@code @BeforeAll}: an assumption failing there
     * aborts the class, which surefire reports as no test at all instead of a skip with the reason.
     */
    private static void needDocker() {
        Need.root(); // the cells mount host bpffs directories and the host cell drops from root
        Need.that(DockerClientFactory.instance().isDockerAvailable(), () -> "no Docker daemon answers (DOCKER_HOST="
                + System.getenv("DOCKER_HOST") + ", /var/run/docker.sock): the privilege matrix needs one; .ci/run starts it");
    }

    @TestFactory
    @Order(1)
    List<DynamicTest> cells() {
        // A factory that aborts is not reported at all: a dynamic test carries the reason instead.
        try {
            needDocker();
        } catch (org.opentest4j.TestAbortedException e) {
            return List.of(DynamicTest.dynamicTest("needs a Docker daemon", () -> {
                throw e;
            }));
        }
        narrowOnHost = !daemonKnows("BPF");
        List<DynamicTest> tests = new ArrayList<>();
        for (Cell cell : Cell.values()) {
            boolean host = cell == Cell.NARROW && narrowOnHost;
            String name = cell + ": " + cell.title + (host
                    ? " (as a host process with those ambient capabilities under uid 65534: this Docker daemon does not know CAP_BPF)"
                    : " (docker run " + cell.flags() + ")");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                CellOutput out = run(cell, null);
                System.out.println("cell " + cell + ":\n" + out.raw);
                judge(cell, out, host);
                results.put(cell, out);
            }));
        }
        return tests;
    }

    /**
     * A report that claims an operation the cell cannot do fails the cell: here PROG_GET_NEXT_ID,
     * which needs CAP_SYS_ADMIN, in the narrow cell.
     */
    @Test
    @Order(2)
    void aWrongClaimFailsItsCell() throws Exception {
        needDocker();
        CellOutput lying = run(Cell.NARROW, Operation.PROG_GET_NEXT_ID.name());
        String verdict = lying.tests.get(Operation.PROG_GET_NEXT_ID.name());
        assertTrue(verdict != null && verdict.startsWith("FAILED") && verdict.contains("reported supported but threw"),
                "the suite in the cell let the wrong claim through: " + verdict + "\n" + lying.raw);
        AssertionError e = assertThrows(AssertionError.class, () -> judge(Cell.NARROW, lying, narrowOnHost));
        assertTrue(e.getMessage().contains("PROG_GET_NEXT_ID"), e.getMessage());
        System.out.println("the wrong claim failed its cell: " + e.getMessage());
    }

    @Test
    @Order(3)
    void docsShowWhatTheMatrixMeasured() throws IOException {
        needDocker();
        Need.that(results.size() == Cell.values().length, () -> "not every cell ran: " + results.keySet());
        List<String> measured = PrivilegesDoc.measuredTable(results);
        PrivilegesDoc.writeResults(measured);
        if (Boolean.getBoolean("bpf4j.privileges.write")) return; // the doc was just rewritten from these results
        Need.that(ExpectedKernel.describesRunningKernel(), () -> "docs/privileges.md records " + ExpectedKernel.KERNEL
                + "; this kernel's results are in target/privilege-matrix.md");
        assertEquals(measured, PrivilegesDoc.section("measured"), "docs/privileges.md's measured table differs from this"
                + " run's results (target/privilege-matrix.md); -Dbpf4j.privileges.write=true rewrites it");
    }

    private static CellOutput run(Cell cell, String lie) throws IOException, InterruptedException {
        if (cell == Cell.NARROW) {
            try {
                return CellRunner.inContainer(cell, lie);
            } catch (CellRunner.UnknownCapability e) {
                System.out.println("cell NARROW runs on the host: " + e.getMessage());
                return CellRunner.onHostWithAmbientCaps(lie);
            }
        }
        return CellRunner.inContainer(cell, lie);
    }

    /** Whether the daemon accepts a capability by name (Debian's Docker 20.10 knows no CAP_BPF). */
    private static boolean daemonKnows(String cap) {
        var docker = DockerClientFactory.instance().client();
        try {
            var created = docker.createContainerCmd(CellImage.get().name())
                    .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig()
                            .withCapAdd(com.github.dockerjava.api.model.Capability.valueOf(cap)))
                    .withCmd("true").exec();
            docker.removeContainerCmd(created.getId()).withForce(true).exec();
            return true;
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("unknown capability")) return false;
            throw e;
        }
    }

    /** Holds one cell's output to what its privileges allow. */
    static void judge(Cell cell, CellOutput out, boolean onHost) {
        out.fact("done");
        long eff = out.capEff();
        int unprivileged = Integer.parseInt(out.fact("unprivilegedBpfDisabled"));
        boolean root = out.fact("uid").equals("0");
        boolean rawDumps = out.fact("kptrRestrict").equals("0") && Integer.parseInt(out.fact("perfEventParanoid")) <= 1;
        Set<Operation> denied = Privileges.denied(eff, unprivileged, rawDumps);
        boolean seccomp = !onHost && cell.seccompDeniesBpf();
        String where = cell + " (CapEff " + Long.toHexString(eff) + ", seccomp " + out.fact("seccomp") + ")";
        if (seccomp || denied.contains(Operation.MAP_CREATE)) {
            assertFalse(out.opened(), where + ": Bpf.open() worked where bpf() is denied");
            String why = out.fact("open");
            assertTrue(why.contains("EPERM"), why);
            if (!Privileges.Cap.BPF.heldBy(eff)) {
                assertTrue(why.contains("lacks CAP_BPF") && why.contains("--cap-add BPF"), where + ": " + why);
            }
            if (seccomp) assertTrue(why.contains("--security-opt seccomp=unconfined"), where + ": " + why);
            if (root) assertFalse(why.contains("run as root"), where + ": root told to run as root: " + why);
            String probe = out.probeText();
            assertTrue(probe.contains("lacks CAP_BPF") && probe.contains("--cap-add BPF"), where
                    + ": bpf4j probe does not say what is missing:\n" + probe);
            if (seccomp) assertTrue(probe.contains("--security-opt seccomp=unconfined"), where + ": " + probe);
            assertTrue(out.tests.isEmpty(), "the suite ran without a backend: " + out.tests);
            return;
        }
        assertTrue(out.opened(), where + ": Bpf.open() failed: " + out.fact("open"));
        List<String> failed = new ArrayList<>();
        out.tests.forEach((k, v) -> {
            if (!v.startsWith("SUCCESSFUL")) failed.add(k + "=" + v);
        });
        assertEquals(List.of(), failed, where + ": the capability suite in the cell");
        assertTrue(out.tests.size() > Operation.values().length, where + ": only " + out.tests.size() + " suite results");
        assertEquals("0", out.fact("probeExit"), where + ": bpf4j probe --json:\n" + out.probeText());
        Set<Operation> lacking = ExpectedKernel.lacking(Operation.class);
        for (Operation op : Operation.values()) {
            String claim = out.claims.get(op);
            if (denied.contains(op) && !lacking.contains(op)) {
                // Refused with EPERM: the reason names what this process lacks; withheld (raw images): the capability that decides.
                boolean named = claim != null && (claim.contains("EPERM") ? claim.contains("lacks CAP_") : claim.contains("CAP_"));
                assertTrue(named, where + ": " + op + " needs " + Privileges.needs(op) + ", and the report says "
                        + (claim == null ? "supported" : claim));
            }
        }
        String pin = out.fact("pinAtSysFsBpf");
        switch (cell.bpffs) {
            case RW -> {
                // On the host the host's bpffs is at /sys/fs/bpf; only a container's mount is the cell's doing.
                if (!onHost) assertEquals("rw", out.fact("bpffs"), where);
                assertEquals("ok", pin, where + ": pinning at /sys/fs/bpf");
            }
            case RO, NONE -> {
                assertEquals(cell.bpffs == Cell.Bpffs.RO ? "ro" : "absent", out.fact("bpffs"), where);
                // The kernel has the command; the path cannot take a pin: an error with its errno, not "unsupported".
                assertEquals(null, out.claims.get(Operation.OBJ_PIN), where);
                assertTrue(pin.startsWith("BpfException: ") && pin.contains("OBJ_PIN"), where + ": pinning at /sys/fs/bpf: " + pin);
            }
        }
        EnumSet<Operation> works = EnumSet.noneOf(Operation.class);
        out.claims.forEach((op, why) -> {
            if (why == null) works.add(op);
        });
        System.out.println(where + " works: " + works);
    }
}
