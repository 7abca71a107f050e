package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.LeakCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * btf_tracing.o: BTF-typed programs whose targets the loader finds in the kernel's BTF by the
 * section's name ({@code tp_btf/sys_enter}, {@code iter/task}), attached by section; the
 * simulator, which publishes no kernel BTF, says it cannot load them, naming the program.
 */
@ExtendWith(LeakCheck.class)
class BtfTracingTest {
    /** getpid's syscall number on this machine's architecture. */
    static long getpidNr() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 39;
            case "aarch64" -> 172;
            default -> throw new IllegalStateException("getpid's number on " + System.getProperty("os.arch") + " is not known here");
        };
    }

    @Test
    void onTheKernelTheyAttachBySectionAndRun() {
        ObjectSpec spec = Corpus.spec("btf_tracing.o").withVariable("target_tid", LibC.INSTANCE.gettid())
                .withVariable("getpid_nr", getpidNr());
        try (Bpf bpf = LinuxKernel.open(); BpfCollection obj = spec.load(bpf)) {
            List<BpfLink> links = obj.attachAll();
            assertEquals(List.of(LinkType.RAW_TRACEPOINT, LinkType.ITER), links.stream().map(l -> l.info().type()).toList());
            for (int i = 0; i < 4; i++) LibC.INSTANCE.getpid();
            assertEquals(4, obj.variable("hits").getLong(), "tp_btf/sys_enter saw this thread's getpid() calls");

            int it = bpf.iterCreate(links.get(1).fd(), 0);
            try {
                byte[] buf = new byte[4096];
                while (bpf.read(it, buf, 0, buf.length) > 0) {
                    // the program counts; it prints nothing
                }
            } finally {
                bpf.closeFd(it);
            }
            long tasks = obj.variable("tasks").getLong();
            assertTrue(tasks > 1, "iter/task visited the system's tasks: " + tasks);
        }
    }

    @Test
    void theSimulatorSaysItCannotLoadThem() {
        try (Bpf sim = Simulator.builder().build()) {
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                    () -> Corpus.spec("btf_tracing.o").load(sim).close());
            assertTrue(e.getMessage().contains("program \"count_sys_enter\"") && e.getMessage().contains("publishes no kernel BTF"),
                    e.getMessage());
        }
    }
}
