package io.bpf4j.windows.internal;

import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.Export;
import java.util.Locale;

/**
 * Which exports carry the commands both families implement (map create and element commands,
 * program load, pin and get, next id and fd by id, link detach, bind map): the Linux-ABI
 * {@code bpf()} or the libbpf-style functions of efW's {@code bpf.h}. {@code bpf()} is the
 * default where it is exported; {@code -Dbpf4j.windows.calls=libbpf} selects the functions,
 * which is also the fallback for a library without {@code bpf()}. Both paths produce the same
 * results: the ABI tests run the behavioural suite through each.
 */
enum Mode {
    /** {@code int bpf(int cmd, union bpf_attr*, unsigned)}. */
    SYSCALL,
    /** {@code bpf_map_create}, {@code bpf_map_lookup_elem}, {@code bpf_prog_load} ... */
    LIBBPF;

    /** System property selecting the mode: {@code syscall} or {@code libbpf}. */
    static final String PROPERTY = "bpf4j.windows.calls";

    static Mode select(EbpfApi api, String property) {
        String p = property == null ? "" : property.trim().toLowerCase(Locale.ROOT);
        if (p.equals("libbpf")) return LIBBPF;
        if (p.equals("syscall")) return SYSCALL;
        if (!p.isEmpty()) throw new IllegalArgumentException("-D" + PROPERTY + "=" + property + " is neither syscall nor libbpf");
        return api.has(Export.BPF) ? SYSCALL : LIBBPF;
    }
}
