package io.bpf4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the command in this JVM, as the command-line tests make it: its exit code and what
 * it printed on each stream.
 *
 * @param code the exit code
 * @param out standard output
 * @param err standard error
 */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
