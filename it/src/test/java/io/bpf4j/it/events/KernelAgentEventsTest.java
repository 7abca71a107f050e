package io.bpf4j.it.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.bpf4j.api.Bpf;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent-style event tests on the kernel: the events are this test thread's own
 * {@code getpid()} calls through libc, which the program picks out by thread id.
 */
@ExtendWith(LeakCheck.class)
class KernelAgentEventsTest extends AgentEventsContract {
    /** The libc calls the test makes itself. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int getpid();

        int gettid();
    }

    private static Bpf bpf;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(() -> {
            LinuxKernel.require();
            Need.tracefs(); // the tracepoint's id is read from tracefs
        });
        if (skip == null) bpf = LinuxKernel.open();
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    @Override
    Bpf bpf() {
        return bpf;
    }

    @Override
    int tid() {
        return LibC.INSTANCE.gettid();
    }

    @Override
    void onOneCpu(Runnable r) {
        Affinity.runOn(0, r);
    }

    @Override
    void cause(int n) {
        int pid = (int) ProcessHandle.current().pid();
        for (int i = 0; i < n; i++) assertEquals(pid, LibC.INSTANCE.getpid());
    }
}
