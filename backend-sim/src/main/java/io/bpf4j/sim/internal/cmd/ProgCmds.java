package io.bpf4j.sim.internal.cmd;

import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.internal.rules.ProgRules;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.maps.SimMap;
import io.bpf4j.sim.internal.prog.ProgLoader;
import io.bpf4j.sim.internal.prog.SimProgram;
import io.bpf4j.sim.internal.prog.TestRunner;

/** Program load, test run and map binding. */
public final class ProgCmds {
    private final Kernel k;

    /**
     * Creates the commands.
     *
     * @param k the kernel
     */
    public ProgCmds(Kernel k) {
        this.k = k;
    }

    /**
     * The program behind a descriptor ({@code bpf_prog_get()}).
     *
     * @param k the kernel
     * @param fd the descriptor
     * @return the program
     * @throws KErr EBADF when not open, EINVAL when not a program
     */
    static SimProgram prog(Kernel k, int fd) {
        FdTable.Entry e = k.fd(fd);
        if (e.obj().kind() != ObjKind.PROG) throw KErr.of(Errno.EINVAL, "fd " + fd + " is not a program");
        return (SimProgram) e.obj();
    }

    /**
     * {@code BPF_PROG_LOAD}.
     *
     * @param spec the program
     * @return descriptor and log
     */
    public LoadResult load(ProgramSpec spec) {
        ProgRules.load(spec);
        return k.run(Operation.PROG_LOAD, () -> {
            k.faults().check(Operation.PROG_LOAD, null);
            ProgLoader.Loaded l = ProgLoader.load(k, spec);
            ownPrograms(l.program());
            k.register(l.program());
            return new LoadResult(k.fds().open(l.program(), FdTable.RDWR), l.log());
        });
    }

    /**
     * {@code bpf_check_tail_call()}: every prog array the program uses takes it as owner or
     * refuses it ({@code EINVAL}, no verifier log); a refused program is freed.
     */
    private static void ownPrograms(io.bpf4j.sim.internal.prog.SimProgram p) {
        try {
            for (io.bpf4j.sim.internal.maps.SimMap m : p.maps()) {
                if (m.type() == io.bpf4j.api.MapType.PROG_ARRAY) ((io.bpf4j.sim.internal.maps.FdArray) m).checkOwner(p);
            }
        } catch (KErr e) {
            p.hold();
            p.put();
            throw e;
        }
    }

    /**
     * {@code BPF_PROG_TEST_RUN}.
     *
     * @param fd the program
     * @param spec the input
     * @return the output
     */
    public TestRunResult testRun(int fd, TestRunSpec spec) {
        ProgRules.testRun(fd, spec);
        return k.run(Operation.PROG_TEST_RUN, () -> {
            SimProgram p = prog(k, fd);
            k.faults().check(Operation.PROG_TEST_RUN, p);
            try {
                return TestRunner.run(k, p, spec);
            } catch (KErr e) {
                throw e.on(p.describe());
            }
        });
    }

    /**
     * {@code BPF_PROG_BIND_MAP}.
     *
     * @param progFd the program
     * @param mapFd the map
     * @param flags must be 0
     */
    public void bindMap(int progFd, int mapFd, int flags) {
        ProgRules.bindMap(progFd, mapFd, flags);
        k.exec(Operation.PROG_BIND_MAP, () -> {
            SimProgram p = prog(k, progFd);
            SimMap m = (SimMap) MapCmds.entry(k, mapFd).obj();
            k.faults().check(Operation.PROG_BIND_MAP, p);
            p.bind(m);
        });
    }
}
