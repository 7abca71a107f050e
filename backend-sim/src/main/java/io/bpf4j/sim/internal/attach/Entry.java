package io.bpf4j.sim.internal.attach;

import io.bpf4j.sim.internal.prog.SimProgram;

/**
 * One program in a hook's list: attached directly (holding a program reference) or through a
 * link (the link holds the program).
 */
final class Entry {
    SimProgram prog;
    final SimLink link;
    int flags;

    Entry(SimProgram prog, SimLink link, int flags) {
        this.prog = prog;
        this.link = link;
        this.flags = flags;
    }
}
