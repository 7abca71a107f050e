package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/** Both sides' outcomes of one scenario, step by step, and the table that shows where they part. */
record Report(Scenario scenario, List<String> linux, List<String> sim) {
    /**
     * Step numbers (from 1) where the sides do not agree. A step that crashed, or that a
     * backend refused as unsupported, compared nothing, so it is never agreement even when both
     * sides did the same: the kernel side must really have run for the simulator to match it.
     */
    List<Integer> mismatches() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < scenario.steps.size(); i++) {
            if (!agree(linux.get(i), sim.get(i))) out.add(i + 1);
        }
        return out;
    }

    static boolean agree(String linux, String sim) {
        return linux.equals(sim) && !comparedNothing(linux);
    }

    /** A crash of the harness, or a refusal that never reached the kernel. */
    static boolean comparedNothing(String outcome) {
        return outcome.startsWith("crash ") || outcome.equals("unsupported");
    }

    String linux(int step) {
        return linux.get(step - 1);
    }

    String sim(int step) {
        return sim.get(step - 1);
    }

    /** The step number of the first step whose description starts with {@code prefix}. */
    int find(String prefix) {
        for (int i = 0; i < scenario.steps.size(); i++) {
            if (scenario.steps.get(i).what().startsWith(prefix)) return i + 1;
        }
        throw new IllegalArgumentException("no step " + prefix);
    }

    /** Every step with both outcomes; differing steps are marked and show both sides. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append("scenario ").append(scenario.name);
        if (!scenario.note.isEmpty()) b.append(" (").append(scenario.note).append(')');
        b.append('\n');
        for (int i = 0; i < scenario.steps.size(); i++) {
            boolean same = agree(linux.get(i), sim.get(i));
            b.append(same ? "   " : ">> ").append('#').append(i + 1).append(' ').append(scenario.steps.get(i).what());
            if (same || linux.get(i).equals(sim.get(i))) {
                b.append("\n      both:  ").append(linux.get(i)).append('\n');
            } else {
                b.append("\n      linux: ").append(linux.get(i)).append("\n      sim:   ").append(sim.get(i)).append('\n');
            }
        }
        return b.toString();
    }

    /** Fails with the table when any step differs ({@code -Dbpf4j.diff.verbose=true} prints it always). */
    void assertSame() {
        if (Boolean.getBoolean("bpf4j.diff.verbose")) System.out.println(table());
        List<Integer> m = mismatches();
        if (!m.isEmpty()) {
            int first = m.get(0);
            fail(scenario.name + (scenario.note.isEmpty() ? "" : " [" + scenario.note + "]") + ": " + m.size()
                    + " step(s) differ, first #" + first + " " + scenario.steps.get(first - 1).what() + ": linux="
                    + linux(first) + " sim=" + sim(first) + "\n" + table());
        }
    }
}
