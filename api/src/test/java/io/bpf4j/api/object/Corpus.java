package io.bpf4j.api.object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The committed test objects (src/test/resources/objects, rebuilt by its build.sh). */
final class Corpus {
    static final List<String> OBJECTS = List.of("legacy_maps.o", "global_data.o", "subprogs.o", "tracepoint.o",
            "sections.o", "verifier_reject.o", "btf_maps.o", "btf_tracing.o", "map_slots.o", "callbacks.o",
            "core_fields.o", "core_kernel.o", "core_flavors.o", "core_matches.o", "core_errors.o",
            "core.o", "kconfig.o", "ksyms.o", "freplace.o");


    private Corpus() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/objects/" + name)) {
            if (in == null) throw new IllegalStateException("test object " + name + " is not on the class path");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectSpec spec(String name) {
        return ObjectSpec.parse(name, bytes(name));
    }
}
