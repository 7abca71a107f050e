package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/cli.md is what the command model makes, every command has an example, and completion covers every command. */
class CliDocsTest {
    @Test
    void theCommittedPageIsTheGeneratedOne() throws Exception {
        String committed = Files.readString(Path.of("../docs/cli.md"));
        assertEquals(CliDocs.render(), committed, "docs/cli.md is stale: regenerate it with ./bpf4j docs > docs/cli.md");
    }

    @Test
    void everyCommandHasAnExample() {
        List<String> missing = new ArrayList<>();
        for (var c : CliDocs.leaves(Main.commandLine())) {
            String path = CliDocs.path(c.getCommandSpec());
            if (!CliDocs.EXAMPLES.containsKey(path)) missing.add(path);
        }
        assertEquals(List.of(), missing, "commands without an example in CliDocs.EXAMPLES");
    }

    @Test
    void completionCoversEveryCommand() {
        CliRun r = CliRun.of("completion");
        assertEquals(0, r.code(), r.err());
        for (var c : CliDocs.leaves(Main.commandLine())) {
            String leaf = c.getCommandSpec().name();
            assertTrue(r.out().contains(leaf), "completion lacks " + CliDocs.path(c.getCommandSpec()));
        }
        assertTrue(r.out().contains("complete -F"), "a bash completion script");
    }
}
