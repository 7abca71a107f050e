package io.bpf4j.it.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The agent-style event tests on the simulator: each {@code getpid()} is a firing of
 * {@code syscalls/sys_enter_getpid} fed through {@code sim.hooks()}, on behalf of the simulator's
 * task (this process, as thread and process), on CPU 0; two possible CPUs, as the CI machine.
 */
class SimAgentEventsTest extends AgentEventsContract {
    private static SimBpf sim;
    /** The tracepoint's record: the common header and the syscall number, nothing the program reads. */
    private static final byte[] RECORD = new byte[16];

    @BeforeAll
    static void open() {
        sim = Simulator.builder().possibleCpus(2).build();
    }

    @AfterAll
    static void close() {
        sim.close();
    }

    @AfterEach
    void nothingLeft() {
        assertEquals(0, sim.liveMaps(), "every map went with its agent");
    }

    @Override
    Bpf bpf() {
        return sim;
    }

    @Override
    int tid() {
        return (int) ProcessHandle.current().pid();
    }

    @Override
    void onOneCpu(Runnable r) {
        r.run(); // hooks run on CPU 0
    }

    @Override
    void cause(int n) {
        for (int i = 0; i < n; i++) sim.hooks().tracepoint("syscalls", "sys_enter_getpid", RECORD);
    }
}
