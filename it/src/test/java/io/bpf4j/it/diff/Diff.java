package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.Cgroup;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import io.bpf4j.testsupport.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a scenario on the real kernel (on a thread pinned to CPU 0) and on a fresh simulator
 * with the same number of CPUs, and returns both sides' outcomes. Host objects the scenario
 * asked for (pin directory, network namespace, cgroup) are made before and removed after, even
 * when a step crashed; a descriptor left open on the kernel side fails the run.
 */
final class Diff {
    private Diff() {
    }

    static Report run(Scenario s) {
        LinuxKernel.require();
        List<String> before = LeakCheck.descriptors();
        Path pinDir = Need.bpffs().resolve(DiffHost.fresh("p"));
        Netns netns = null;
        Cgroup cgroup = null;
        List<String> lin;
        List<String> sim;
        try {
            Files.createDirectory(pinDir);
            if (s.netns) netns = Netns.create();
            if (s.cgroup) cgroup = Cgroup.create();
            String ns = netns == null ? null : netns.name();
            String cg = cgroup == null ? null : cgroup.dir().toString();
            lin = DiffHost.onCpu0(ns, () -> {
                try (Bpf linux = Bpf.open("linux")) {
                    return execute(s, new Ctx(linux, pinDir.toString(), cg, 1));
                }
            });
            try (SimBpf simBpf = Simulator.builder().possibleCpus(DiffHost.CPUS).build()) {
                simBpf.mkdir(pinDir.toString());
                sim = execute(s, new Ctx(simBpf, pinDir.toString(), cg, 1));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            Host.deleteTree(pinDir);
            if (netns != null) netns.close();
            if (cgroup != null) cgroup.close();
        }
        assertEquals(before, LeakCheck.descriptors(), "scenario " + s.name + " leaked descriptors");
        return new Report(s, lin, sim);
    }

    /** Runs and fails with the step table when the sides differ. */
    static Report assertSame(Scenario s) {
        Report r = run(s);
        r.assertSame();
        return r;
    }

    private static List<String> execute(Scenario s, Ctx c) {
        List<String> out = new ArrayList<>();
        try (c) {
            for (Step step : s.steps) out.add(Outcome.of(step.action(), c));
        }
        return out;
    }
}
