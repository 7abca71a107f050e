package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs generated scenarios on both sides and, when one diverges, drops its parts one at a time
 * while it still diverges, so the report shows a small reproducer. A divergence is either one
 * that backend-sim/README.md lists (a {@link KnownDifference} whose words the README holds) or a
 * failure; the tally of scenarios, divergences and known ones is printed at the end.
 */
final class Minimized {
    /** A difference the simulator's README lists: its words there, and how to recognise it in a report. */
    record KnownDifference(String readmeWords, java.util.function.Predicate<Report> matches) {
    }

    private final String tag;
    private final List<KnownDifference> known;
    private int scenarios;
    private int knownCount;
    private final List<String> failures = new ArrayList<>();

    Minimized(String tag, List<KnownDifference> known) {
        this.tag = tag;
        this.known = known;
        String readme = readme();
        for (KnownDifference k : known) {
            assertTrue(readme.contains(k.readmeWords()), "backend-sim/README.md does not list: " + k.readmeWords());
        }
    }

    static String readme() {
        Path p = Path.of("..", "backend-sim", "README.md");
        try {
            return Files.readString(p).replaceAll("\\s+", " ");
        } catch (IOException e) {
            throw new UncheckedIOException("the simulator's README is the list of known differences", e);
        }
    }

    /**
     * Runs the scenario that {@code build} makes of {@code parts}; when it diverges, minimises
     * {@code parts} and records the divergence (known or a failure).
     */
    <T> Report check(List<T> parts, Function<List<T>, Scenario> build) {
        scenarios++;
        Report first = Diff.run(build.apply(parts));
        Report r = first;
        if (r.mismatches().isEmpty()) return first;
        List<T> cur = new ArrayList<>(parts);
        boolean shrunk = true;
        while (shrunk && cur.size() > 1) {
            shrunk = false;
            for (int i = 0; i < cur.size(); i++) {
                List<T> fewer = new ArrayList<>(cur);
                fewer.remove(i);
                Report f = Diff.run(build.apply(fewer));
                if (!f.mismatches().isEmpty()) {
                    cur = fewer;
                    r = f;
                    shrunk = true;
                    break;
                }
            }
        }
        for (KnownDifference k : known) {
            if (k.matches().test(r)) {
                knownCount++;
                System.out.println("[" + tag + "] known difference (README: \"" + k.readmeWords() + "\"):\n" + r.table());
                return first;
            }
        }
        failures.add(r.table());
        return first;
    }

    /** Prints the tally and fails with every unlisted divergence's minimised table. */
    void finish(String what) {
        System.out.println("[" + tag + "] " + what + ": " + scenarios + " scenarios, " + (knownCount + failures.size())
                + " divergences (" + knownCount + " listed in backend-sim/README.md, " + failures.size() + " not)");
        assertTrue(scenarios > 0, "no scenario ran");
        if (!failures.isEmpty()) {
            fail(failures.size() + " divergence(s) not listed in backend-sim/README.md, minimised:\n"
                    + String.join("\n", failures));
        }
    }
}
