package io.bpf4j.it.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The requirements table of {@code docs/privileges.md} is {@link Privileges}' own, which the
 * privilege matrix holds to the kernel cell by cell; checked without Docker, so that an edit to
 * either is noticed everywhere.
 */
class PrivilegesDocTest {
    @Test
    void theDocShowsTheTableTheMatrixChecks() throws IOException {
        PrivilegesDoc.rewriteIfAsked("requirements", Privileges.markdownTable());
        if (Boolean.getBoolean("bpf4j.privileges.write")) return;
        assertEquals(Privileges.markdownTable(), PrivilegesDoc.section("requirements"),
                "docs/privileges.md's requirements table differs from io.bpf4j.it.container.Privileges;"
                        + " -Dbpf4j.privileges.write=true rewrites it");
    }
}
