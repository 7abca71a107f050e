package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BtfInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bpf4j btf list}: the BTF objects the backend has loaded (the kernel's and programs'), as bpftool's {@code btf show}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Every loaded BTF object: id, name, size, whether the kernel's.")
final class BtfList extends BackendCommand {
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    void run(Bpf bpf, PrintWriter out) {
        List<String> items = new ArrayList<>();
        for (int id = bpf.btfGetNextId(0); id != 0; id = bpf.btfGetNextId(id)) {
            BtfInfo i;
            try (BpfBtf b = BpfBtf.fromId(bpf, id)) {
                i = b.info();
            } catch (BpfException gone) {
                continue; // freed between next-id and fd-by-id, as bpftool skips it
            }
            if (json) {
                items.add("{\"id\":" + i.id() + ",\"size\":" + i.size() + ",\"kernel\":" + i.kernel() + ",\"name\":"
                        + Json.quote(i.name()) + "}");
            } else {
                out.println(i.id() + ": name " + (i.name().isEmpty() ? "<anon>" : i.name()) + "  size " + i.size() + "B"
                        + (i.kernel() ? "  kernel" : ""));
            }
        }
        if (json) out.println("[" + String.join(",", items) + "]");
    }
}
