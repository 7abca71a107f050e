package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
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
        DiffHost.requireKernel();
        List<String> before = DiffHost.descriptors();
        Path pinDir = DiffHost.makePinDir();
        String netns = null;
        Path cgroup = null;
        List<String> lin;
        List<String> sim;
        try {
            if (s.netns) {
                netns = DiffHost.fresh("n");
                DiffHost.run("ip", "netns", "add", netns);
            }
            if (s.cgroup) {
                String root = DiffHost.cgroup2Root();
                org.junit.jupiter.api.Assumptions.assumeTrue(root != null, "needs a cgroup v2 mount");
                cgroup = Path.of(root, DiffHost.fresh("cg"));
                Files.createDirectory(cgroup);
            }
            String cg = cgroup == null ? null : cgroup.toString();
            lin = DiffHost.onCpu0(netns, () -> {
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
            DiffHost.removeDir(pinDir);
            if (netns != null && Files.exists(Path.of("/run/netns", netns))) DiffHost.run("ip", "netns", "del", netns);
            if (cgroup != null) {
                try {
                    Files.deleteIfExists(cgroup);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        assertEquals(before, DiffHost.descriptors(), "scenario " + s.name + " leaked descriptors");
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
