package io.bpf4j.it.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a README example to the test that runs it: the lines between {@code // README:begin} and
 * {@code // README:end} in the test's source must be the README's code block that follows the
 * marker {@code <!-- the snippet of it/src/test/java/.../Test.java -->}, so the README cannot show
 * code that no test runs. {@code // README:end} ends a snippet inside a try block, which the README
 * closes; {@code // README:end-whole} one that is complete as it is (a whole test method).
 */
final class ReadmeSnippet {

    private ReadmeSnippet() {
    }

    static void assertReadmeShows(Class<?> test) throws IOException {
        String source = "src/test/java/" + test.getName().replace('.', '/') + ".java";
        List<String> readme = Files.readAllLines(Path.of("../README.md"));
        int at = readme.indexOf("<!-- the snippet of it/" + source + " -->");
        List<String> block = new ArrayList<>();
        for (int i = at + 2; at >= 0 && !readme.get(i).equals("```"); i++) block.add(readme.get(i).strip());
        List<String> code = new ArrayList<>();
        boolean in = false;
        boolean whole = false;
        for (String line : Files.readAllLines(Path.of(source))) {
            if (line.strip().equals("// README:end")) break;
            if (line.strip().equals("// README:end-whole")) {
                whole = true;
                break;
            }
            if (in) code.add(line.strip());
            if (line.strip().equals("// README:begin")) in = true;
        }
        // A snippet that ends inside the try block the test goes on with: the README closes it.
        if (!whole) code.add("}");
        assertEquals(code, block, "README.md's example and " + test.getSimpleName() + "'s code");
    }
}
