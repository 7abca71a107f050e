package io.bpf4j.it.container;

import io.bpf4j.api.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code docs/privileges.md} and the matrix's results: the doc's tables sit between
 * {@code <!-- matrix:NAME -->} and {@code <!-- /matrix:NAME -->} and must equal what the matrix
 * wrote down ("requirements", from {@link Privileges}) and measured ("measured", one column a
 * cell). {@code -Dbpf4j.privileges.write=true} rewrites the doc's tables instead of comparing.
 */
final class PrivilegesDoc {
    static final Path DOC = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs", "privileges.md");

    private PrivilegesDoc() {
    }

    /** The lines of one table of the doc. */
    static List<String> section(String name) throws IOException {
        Path doc = doc();
        if (Boolean.getBoolean("bpf4j.privileges.write")) return null;
        List<String> lines = Files.readAllLines(doc);
        int from = lines.indexOf("<!-- matrix:" + name + " -->");
        int to = lines.indexOf("<!-- /matrix:" + name + " -->");
        if (from < 0 || to < from) throw new AssertionError(doc + " has no matrix:" + name + " section");
        return new ArrayList<>(lines.subList(from + 1, to));
    }

    /** Rewrites one table of the doc when asked to (-Dbpf4j.privileges.write=true). */
    static void rewriteIfAsked(String name, List<String> table) throws IOException {
        if (!Boolean.getBoolean("bpf4j.privileges.write")) return;
        Path doc = doc();
        List<String> lines = Files.readAllLines(doc);
        int from = lines.indexOf("<!-- matrix:" + name + " -->");
        int to = lines.indexOf("<!-- /matrix:" + name + " -->");
        List<String> out = new ArrayList<>(lines.subList(0, from + 1));
        out.addAll(table);
        out.addAll(lines.subList(to, lines.size()));
        Files.write(doc, out);
    }

    /**
     * One row per operation, one column per cell: "yes" where the report says supported and the
     * suite proved it, "no" where the report says unsupported and the suite held that to
     * {@link Privileges} and the kernel's table, "–" where the backend does not open at all.
     */
    static List<String> measuredTable(Map<Cell, CellOutput> results) {
        List<String> rows = new ArrayList<>();
        StringBuilder head = new StringBuilder("| Operation |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Cell c : Cell.values()) {
            head.append(' ').append(c.name()).append(" |");
            rule.append("---|");
        }
        rows.add(head.toString());
        rows.add(rule.toString());
        for (Operation op : Operation.values()) {
            StringBuilder r = new StringBuilder("| " + op.name() + " |");
            for (Cell c : Cell.values()) {
                CellOutput out = results.get(c);
                if (!out.opened()) {
                    r.append(" – |"); // Bpf.open() itself fails, saying what is missing
                    continue;
                }
                r.append(out.claims.containsKey(op) && out.claims.get(op) == null ? " yes |" : " no |");
            }
            rows.add(r.toString());
        }
        return rows;
    }

    /** Writes the measured table to target/privilege-matrix.md, and into the doc when asked to. */
    static void writeResults(List<String> measured) throws IOException {
        Path out = Path.of("target", "privilege-matrix.md");
        Files.createDirectories(out.getParent());
        Files.write(out, measured);
        rewriteIfAsked("measured", measured);
    }

    private static Path doc() {
        Path doc = DOC;
        if (!Files.exists(doc)) doc = Path.of("docs", "privileges.md");
        if (!Files.exists(doc)) throw new AssertionError("no docs/privileges.md (looked at " + DOC.toAbsolutePath() + ")");
        return doc;
    }
}
