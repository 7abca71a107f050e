package io.bpf4j.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.typed.Codecs;
import io.bpf4j.api.typed.TypedMap;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.testsupport.Need;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.jupiter.api.Test;

/**
 * The kit on sample tests, run through the JUnit launcher: each sample's runs, their names and
 * outcomes (a leak fails, a fault fires, a simulator-only test has no kernel run).
 */
class BpfTestKitTest {
    /** Samples: not run by the build itself (a nested class), only through the launcher below. */
    static class Samples {
        @BpfTest
        void countsInAMap(Bpf bpf) {
            try (BpfMap m = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1))) {
                TypedMap<Long, Long> counts = TypedMap.of(m, Codecs.u32(), Codecs.u64());
                counts.put(0L, 41L);
                assertEquals(41L, counts.get(0L));
            }
        }

        @BpfTest
        void leaksAMap(Bpf bpf) {
            BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1));
        }

        @BpfTest
        @InjectFault(operation = Operation.MAP_CREATE, errno = Errno.ENOMEM)
        void aFullKernel(Bpf bpf) {
            BpfException e = assertThrows(BpfException.class, () -> BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 4, 1)));
            assertEquals(Errno.ENOMEM, e.errno());
            BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 4, 1)).close(); // once only
        }

        @BpfTest
        void simulatorOnly(SimBpf sim) {
            assertEquals(0, sim.openDescriptors());
        }
    }

    /** Display name of each run ("method [backend]") to its outcome and message. */
    private static Map<String, String> run(Class<?> c) {
        Map<String, String> out = new TreeMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(c)).build(), new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                if (!id.isTest()) return;
                String method = id.getUniqueId().replaceAll(".*\\[test-template:([a-zA-Z]+)\\(.*", "$1");
                out.put(method + " " + id.getDisplayName(), r.getStatus() + r.getThrowable().map(t -> ": " + t.getMessage()).orElse(""));
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                out.put(id.getDisplayName(), "SKIPPED: " + reason);
            }
        });
        return out;
    }

    @Test
    void eachTestRunsOnTheSimulatorAndTheKernel() {
        Need.linux();
        Need.root();
        Need.bpffs();
        Map<String, String> r = run(Samples.class);
        assertEquals("SUCCESSFUL", r.get("countsInAMap [sim]"), r.toString());
        assertEquals("SUCCESSFUL", r.get("countsInAMap [linux]"), r.toString());
        assertEquals("FAILED: the test left 1 simulator descriptors open (close every handle it made)", r.get("leaksAMap [sim]"),
                r.toString());
        assertTrue(r.get("leaksAMap [linux]").startsWith("FAILED: the test left BPF descriptors open (fd -> what): ["),
                r.toString());
        assertTrue(r.get("leaksAMap [linux]").contains("anon_inode:bpf-map"), r.toString());
        assertEquals("SUCCESSFUL", r.get("aFullKernel [sim]"), r.toString());
        assertEquals("SUCCESSFUL", r.get("simulatorOnly [sim]"), r.toString());
        assertEquals(6, r.size(), "no kernel runs of the fault and simulator-only samples: " + r);
    }
}
