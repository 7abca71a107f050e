package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

/** The element commands allocate nothing per call (per-thread scratch, layouts read into it or passed by handles). */
@ExtendWith(LeakCheck.class)
class AllocationTest {
    @Test
    void ownedMapHandlesAllocateNothingOnTheirBufferMethods() throws Exception {
        try (LinuxBpf bpf = RealKernel.open();
             io.bpf4j.api.BpfMap map = io.bpf4j.api.BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 16).withName("named"))) {
            byte[] key = {1, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            Allocations.assertNone(() -> {
                map.update(key, value, 0);
                map.lookup(key, value);
                map.nextKey(null, next);
                map.delete(key);
            }, 4);
        }
    }

    @Test
    void elementCommandsAllocateNothing() throws Exception {
        LinuxBpf bpf = RealKernel.open();
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 16));
        try {
            byte[] key = {1, 0, 0, 0};
            byte[] missing = {9, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            Runnable round = () -> {
                bpf.mapUpdateElem(m, key, value, 0);
                bpf.mapLookupElem(m, key, value, 0);
                bpf.mapLookupElem(m, missing, value, 0);
                bpf.mapGetNextKey(m, null, next);
                bpf.mapDeleteElem(m, key);
                bpf.mapDeleteElem(m, missing);
            };
            Allocations.assertNone(round, 6);
        } finally {
            bpf.closeFd(m);
            bpf.close();
        }
    }

    /**
     * The same calls in a JVM whose C2 declines to inline anything that compiled to more than 300
     * bytes. The JDK's errno capture slices its segment on every call (40 bytes), which only
     * inlining lets escape analysis remove; under this flag every map call allocated, as it did
     * in one full test run whose JVM had compiled that slice elsewhere first. bpf() now reaches
     * the kernel without errno capture on x86-64, so nothing depends on that inlining.
     */
    @Test
    @EnabledForJreRange(min = JRE.JAVA_22)
    @EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
    void elementCallsAllocateNothingWhenTheJitInlinesLittle() throws Exception {
        RealKernel.require();
        String launcher = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(launcher, "--enable-native-access=ALL-UNNAMED", "-XX:InlineSmallCode=300",
                "-cp", System.getProperty("java.class.path"), AllocationProbe.class.getName())
                .redirectErrorStream(true).start();
        String out;
        try (java.io.InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "the probe JVM did not end");
        assertEquals(0, p.exitValue(), out);
    }
}
