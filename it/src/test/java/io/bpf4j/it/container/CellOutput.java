package io.bpf4j.it.container;

import io.bpf4j.api.Operation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines a cell printed ({@link CellMain}), parsed: facts by key, the report's claims, the
 * probe's output and the suite's results.
 */
final class CellOutput {
    final String raw;
    final Map<String, String> facts = new LinkedHashMap<>();
    /** Per operation: null when supported, else the report's reason. */
    final Map<Operation, String> claims = new EnumMap<>(Operation.class);
    final List<String> probe = new ArrayList<>();
    /** Test display name to "STATUS message". */
    final Map<String, String> tests = new LinkedHashMap<>();

    CellOutput(String raw) {
        this.raw = raw;
        for (String line : raw.split("\n")) {
            int at = line.indexOf(CellMain.PREFIX);
            if (at < 0) continue;
            String l = line.substring(at + CellMain.PREFIX.length());
            if (l.startsWith("probe ")) {
                probe.add(l.substring(6));
            } else if (l.startsWith("claim ")) {
                int eq = l.indexOf('=');
                String v = l.substring(eq + 1);
                claims.put(Operation.valueOf(l.substring(6, eq)), v.equals("yes") ? null : v.substring(3));
            } else if (l.startsWith("test ")) {
                int eq = firstStatus(l);
                tests.put(l.substring(5, eq), l.substring(eq + 1));
            } else {
                int eq = l.indexOf('=');
                int sp = l.indexOf(' ');
                if (sp > 0 && (eq < 0 || sp < eq)) facts.put(l.substring(0, sp), l.substring(sp + 1));
                else if (eq > 0) facts.put(l.substring(0, eq), l.substring(eq + 1));
                else facts.put(l, "");
            }
        }
    }

    /** Where the status of a "test NAME=STATUS ..." line begins, so that a name may hold '='. */
    private static int firstStatus(String l) {
        for (String s : List.of("=SUCCESSFUL", "=FAILED", "=ABORTED", "=SKIPPED")) {
            int i = l.indexOf(s);
            if (i >= 0) return i;
        }
        return l.length() - 1;
    }

    String fact(String key) {
        String v = facts.get(key);
        if (v == null) throw new AssertionError("the cell printed no " + key + ":\n" + raw);
        return v;
    }

    long capEff() {
        return Long.parseUnsignedLong(fact("capEff"), 16);
    }

    boolean opened() {
        return fact("open").startsWith("ok");
    }

    String probeText() {
        return String.join("\n", probe);
    }
}
