package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Verifier agreement on random mutations of valid programs ({@link VerifierMutants}): each is
 * loaded on the kernel and on the simulator, and where one accepts and the other refuses, the
 * case is minimised (instructions replaced by no-op jumps while the disagreement stays) and
 * classified by direction and the refusing side's message with numbers elided. A class not listed
 * under "Known verifier divergences" in {@code backend-sim/README.md} fails the test. Replay with
 * {@code -Dbpf4j.diff.seed=N}; {@code -Dbpf4j.verifier.count=N} sets the programs per seed
 * (3,000 by default).
 */
class VerifierMutationTest {
    private static final String SIM_LOADS = "kernel refuses, simulator loads: ";
    private static final String SIM_REFUSES = "simulator refuses, kernel loads: ";

    @Test
    void mutatedProgramsAreAcceptedAndRefusedAsTheKernelDoes() throws IOException {
        LinuxKernel.require();
        int count = Integer.getInteger("bpf4j.verifier.count", 3000);
        long seed = Seeds.of(20).findFirst().orElseThrow();
        List<String> before = LeakCheck.descriptors();
        List<VerifierCase> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) cases.add(VerifierMutants.mutant(seed * 1_000_003L + i));
        List<VerifierCase.Outcome> lin = loadAll(cases, true);
        List<VerifierCase.Outcome> sim = loadAll(cases, false);
        int kernelRefused = 0;
        int simRefused = 0;
        int errnoDiffers = 0;
        Map<String, String> divergences = new TreeMap<>();
        Map<String, Integer> perClass = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            boolean k = lin.get(i).result().equals("ok");
            boolean s = sim.get(i).result().equals("ok");
            if (!k) kernelRefused++;
            if (!s) simRefused++;
            if (!k && !s && !lin.get(i).result().equals(sim.get(i).result())) {
                if (errnoDiffers++ < 5) {
                    System.out.println("  errno differs: linux " + lin.get(i).result() + " " + message(lin.get(i)) + " / sim "
                            + sim.get(i).result() + " " + message(sim.get(i)));
                }
            }
            if (k == s) continue;
            String key = k ? SIM_REFUSES + refusal(sim.get(i)) : SIM_LOADS + gap(sim.get(i), lin.get(i));
            perClass.merge(key, 1, Integer::sum);
            if (!divergences.containsKey(key)) divergences.put(key, minimise(cases.get(i), k, seed * 1_000_003L + i));
        }
        assertEquals(before, LeakCheck.descriptors(), "the loads leaked descriptors");
        int diverging = perClass.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("verifier agreement: " + count + " programs, kernel refused " + kernelRefused + ", sim refused " + simRefused
                + ", both-direction divergences " + diverging + " (seed " + seed + ", replay with -Dbpf4j.diff.seed=" + seed
                + "; both refused with different errnos: " + errnoDiffers + ")");
        List<String> known = known();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Integer> e : perClass.entrySet()) {
            boolean listed = known.contains(e.getKey());
            System.out.println("  " + (listed ? "known   " : "UNKNOWN ") + e.getValue() + "x " + e.getKey() + "\n" + divergences.get(e.getKey()));
            if (!listed) unknown.add(e.getKey() + "\n" + divergences.get(e.getKey()));
        }
        assertTrue(kernelRefused > count / 10 && kernelRefused < count * 9 / 10,
                "the mutations must land on both sides of the line: kernel refused " + kernelRefused + " of " + count);
        assertTrue(unknown.isEmpty(), unknown.size() + " divergence class(es) not listed in backend-sim/README.md:\n"
                + String.join("\n", unknown));
    }

    private static List<VerifierCase.Outcome> loadAll(List<VerifierCase> cases, boolean linux) {
        if (linux) {
            return DiffHost.onCpu0(null, () -> {
                List<VerifierCase.Outcome> out = new ArrayList<>();
                try (Bpf b = Bpf.open("linux")) {
                    for (VerifierCase c : cases) out.add(c.load(b));
                }
                return out;
            });
        }
        List<VerifierCase.Outcome> out = new ArrayList<>();
        try (SimBpf b = Simulator.builder().possibleCpus(DiffHost.CPUS).build()) {
            for (VerifierCase c : cases) out.add(c.load(b));
        }
        return out;
    }

    /**
     * Why the simulator loaded what the kernel refuses: the gap its log admits ("unverified:"
     * with the kind of reason), or the kernel's message when it admitted none.
     */
    static String gap(VerifierCase.Outcome sim, VerifierCase.Outcome linux) {
        String log = sim.log() == null ? "" : sim.log();
        for (String kind : new String[] {"on a path the kernel may prove dead", "bounds the kernel tracks more tightly"}) {
            if (log.contains("(" + kind + ")")) return "unverified (" + kind + ")";
        }
        int u = log.indexOf("unverified: ");
        if (u < 0) return message(linux);
        String note = log.substring(u + 12, log.indexOf('\n', u) < 0 ? log.length() : log.indexOf('\n', u));
        if (note.startsWith("arguments of ")) return "unverified (arguments of helpers the model does not type)";
        int p = note.lastIndexOf(" (");
        if (note.endsWith(")") && p >= 0) note = note.substring(p + 2, note.length() - 1);
        return "unverified (" + note.replaceAll("\\d+", "N") + ")";
    }

    /** Why the simulator refused: its message, or the interpreter's missing helper as one class. */
    static String refusal(VerifierCase.Outcome sim) {
        String m = message(sim);
        return m.matches("N: program of this type cannot use helper .*") ? "a helper the interpreter does not implement" : m;
    }

    /** The refusal's reason: the log line before the statistics (and state dumps), numbers elided. */
    static String message(VerifierCase.Outcome o) {
        if (o.result().equals("E2BIG")) return "BPF program is too large";
        String log = o.log();
        String[] lines = log == null ? new String[0] : log.strip().split("\n");
        String m = "";
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("processed ") || l.startsWith("verification time") || l.startsWith("stack depth")
                    || l.startsWith("old state") || l.startsWith("cur state")) {
                continue;
            }
            m = l;
            break;
        }
        return m.replaceAll("0x[0-9a-f]+", "N").replaceAll("\\d+", "N");
    }

    /** Replaces instructions by no-op jumps while the two sides still disagree the same way. */
    private static String minimise(VerifierCase c, boolean kernelLoads, long seed) {
        BitSet nops = new BitSet();
        int n = c.prog.build(new int[c.maps.length]).length;
        for (int i = 0; i < n; i++) {
            BitSet tryNops = (BitSet) nops.clone();
            tryNops.set(i);
            VerifierCase t = withNops(c, tryNops);
            boolean k = loadAll(List.of(t), true).get(0).result().equals("ok");
            boolean s = loadAll(List.of(t), false).get(0).result().equals("ok");
            if (k == kernelLoads && s == !kernelLoads) nops = tryNops;
        }
        VerifierCase m = withNops(c, nops);
        StringBuilder b = new StringBuilder("    program seed " + seed + ", " + c.type + (c.eat == null ? "" : " for " + c.eat)
                + ", minimised (no-ops left out):\n");
        long[] p = m.prog.build(new int[c.maps.length]);
        for (int i = 0; i < p.length; i++) {
            if (nops.get(i)) continue;
            b.append(String.format("      %3d: %016x%n", i, p[i]));
        }
        VerifierCase.Outcome k = loadAll(List.of(m), true).get(0);
        VerifierCase.Outcome s = loadAll(List.of(m), false).get(0);
        b.append("      linux: ").append(k.result()).append(" ").append(message(k)).append('\n');
        b.append("      sim:   ").append(s.result()).append(" ").append(message(s));
        return b.toString();
    }

    private static VerifierCase withNops(VerifierCase c, BitSet nops) {
        VerifierCase t = new VerifierCase(c.name, c.type, fds -> {
            long[] o = c.prog.build(fds);
            long[] p = o.clone();
            for (int i = nops.nextSetBit(0); i >= 0; i = nops.nextSetBit(i + 1)) {
                // The second half of an ld_imm64 goes with its first.
                if (i > 0 && ((int) o[i - 1] & 0xff) == 0x18) continue;
                p[i] = 0x05;
                if (((int) o[i] & 0xff) == 0x18 && i + 1 < p.length) p[i + 1] = 0x05;
            }
            return p;
        }, c.maps);
        t.eat(c.eat);
        return t;
    }

    /** The divergence classes listed in the simulator's README. */
    private static List<String> known() throws IOException {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : Files.readAllLines(Path.of("..", "backend-sim", "README.md"))) {
            if (l.startsWith("#")) in = l.contains("Known verifier divergences");
            int a = l.indexOf("- `");
            if (in && a >= 0) out.add(l.substring(a + 3, l.indexOf('`', a + 3)));
        }
        return out;
    }
}
