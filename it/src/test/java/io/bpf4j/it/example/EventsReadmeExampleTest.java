package io.bpf4j.it.example;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.events.RingBufferReader;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's "Reading events" example, run for real on the kernel (getpid calls of a thread of
 * this process) and, unchanged, on the simulator (the tracepoint fired through its hooks by
 * another thread). The snippet between the markers is the README's code block, line for line.
 */
@ExtendWith(LeakCheck.class)
class EventsReadmeExampleTest {
    /** The libc call the example's tracepoint sees. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int getpid();
    }

    /**
     * {@code if (bpf_get_current_pid_tgid() >> 32 == pid) bpf_ringbuf_output(events, &pid_tgid, 8, 0)}.
     */
    static long[] sendPidTgid(int events, int pid) {
        return new Asm().call(Helper.GET_CURRENT_PID_TGID).stxdw(R10, -8, R0).rsh64(R0, 32).jne(R0, pid, "out")
                .ldMapFd(R1, events).mov64(R2, R10).add64(R2, -8).mov64(R3, 8).mov64(R4, 0).call(Helper.RINGBUF_OUTPUT)
                .label("out").mov64(R0, 0).exit().toArray();
    }

    /** The agent: waits for three getpid() calls of process {@code pid} and returns their pid_tgid. */
    static List<Long> agent(Bpf bpf, int pid) {
        List<Long> callers = new ArrayList<>();
        // README:begin
        try (BpfMap events = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 1 << 16));
             BpfProgram prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.TRACEPOINT, sendPidTgid(events.fd(), pid), "GPL"));
             BpfLink link = prog.attachTracepoint("syscalls", "sys_enter_getpid", 0);
             RingBufferReader reader = events.ringBufferReader(r -> callers.add(r.getLong(0)))) {  // no copy, no allocation
            while (callers.size() < 3) reader.poll(Duration.ofSeconds(1));                       // blocks in epoll on Linux
        // README:end
        }
        return callers;
    }

    /** Runs the agent while {@code traffic} makes getpid events on another thread. */
    private static List<Long> withTraffic(Bpf bpf, Runnable traffic) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            while (!stop.get()) traffic.run();
        });
        t.start();
        try {
            return agent(bpf, (int) ProcessHandle.current().pid());
        } finally {
            stop.set(true);
            t.join();
        }
    }

    private static void check(List<Long> callers) {
        assertTrue(callers.size() >= 3, callers.toString());
        for (long c : callers) assertEquals(ProcessHandle.current().pid(), c >>> 32, "a call of this process");
    }

    @Test
    void theExampleReadsGetpidCallsOnTheKernel() throws Exception {
        LinuxKernel.require();
        Need.tracefs();
        try (Bpf bpf = Bpf.open("linux")) {
            check(withTraffic(bpf, () -> LibC.INSTANCE.getpid()));
        }
    }

    @Test
    void theSameExampleRunsOnTheSimulator() throws Exception {
        try (SimBpf sim = Simulator.builder().build()) {
            byte[] record = new byte[16];
            check(withTraffic(sim, () -> {
                sim.hooks().tracepoint("syscalls", "sys_enter_getpid", record);
                Thread.onSpinWait();
            }));
            assertEquals(0, sim.liveMaps());
        }
    }

    @Test
    void theReadmeShowsThisCode() throws Exception {
        ReadmeSnippet.assertReadmeShows(EventsReadmeExampleTest.class);
    }
}
