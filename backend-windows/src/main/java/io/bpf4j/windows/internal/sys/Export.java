package io.bpf4j.windows.internal.sys;

/**
 * Every {@code ebpfapi.dll} export the backend calls, with the first release whose
 * {@code ebpfapi/Source.def} lists it (reference §2; "0.17" means 0.17 or earlier). The set
 * varies by release, so symbols are resolved on first use and a missing one makes only its
 * operation unsupported.
 */
public enum Export {
    /** Linux-ABI syscall emulation; size-tolerant with -errno returns since 0.20.0. */
    BPF("bpf", "0.17"),

    // efW's own functions: ebpf_result_t returns.
    /** {@code ebpf_close_fd}. */
    EBPF_CLOSE_FD("ebpf_close_fd", "0.21.0"),
    /** {@code ebpf_duplicate_fd}. */
    EBPF_DUPLICATE_FD("ebpf_duplicate_fd", "0.21.0"),
    /** {@code ebpf_object_unpin}. */
    EBPF_OBJECT_UNPIN("ebpf_object_unpin", "0.17"),
    /** {@code ebpf_get_next_pinned_object_path}. */
    EBPF_GET_NEXT_PINNED_OBJECT_PATH("ebpf_get_next_pinned_object_path", "0.21.0"),
    /** {@code ebpf_canonicalize_pin_path}. */
    EBPF_CANONICALIZE_PIN_PATH("ebpf_canonicalize_pin_path", "1.0.0-rc1"),
    /** {@code ebpf_object_get_info_by_fd}. */
    EBPF_OBJECT_GET_INFO_BY_FD("ebpf_object_get_info_by_fd", "0.21.0"),
    /** {@code ebpf_program_attach_by_fds}. */
    EBPF_PROGRAM_ATTACH_BY_FDS("ebpf_program_attach_by_fds", "0.21.0"),
    /** {@code ebpf_get_ebpf_attach_type}. */
    EBPF_GET_EBPF_ATTACH_TYPE("ebpf_get_ebpf_attach_type", "0.21.0"),
    /** {@code ebpf_get_ebpf_program_type}: returns a GUID pointer, null when unregistered. */
    EBPF_GET_EBPF_PROGRAM_TYPE("ebpf_get_ebpf_program_type", "0.21.0"),
    /** {@code ebpf_get_bpf_program_type}. */
    EBPF_GET_BPF_PROGRAM_TYPE("ebpf_get_bpf_program_type", "0.21.0"),
    /** {@code ebpf_get_bpf_attach_type}. */
    EBPF_GET_BPF_ATTACH_TYPE("ebpf_get_bpf_attach_type", "0.21.0"),
    /** {@code ebpf_object_load_native_by_fds}. */
    EBPF_OBJECT_LOAD_NATIVE_BY_FDS("ebpf_object_load_native_by_fds", "0.21.0"),

    // libbpf-style functions beyond bpf(): -errno returns.
    /** {@code bpf_map_lookup_batch}. */
    BPF_MAP_LOOKUP_BATCH("bpf_map_lookup_batch", "0.17"),
    /** {@code bpf_map_lookup_and_delete_batch}. */
    BPF_MAP_LOOKUP_AND_DELETE_BATCH("bpf_map_lookup_and_delete_batch", "0.17"),
    /** {@code bpf_map_update_batch}. */
    BPF_MAP_UPDATE_BATCH("bpf_map_update_batch", "0.17"),
    /** {@code bpf_map_delete_batch}. */
    BPF_MAP_DELETE_BATCH("bpf_map_delete_batch", "0.17"),
    /** {@code bpf_prog_test_run_opts}. */
    BPF_PROG_TEST_RUN_OPTS("bpf_prog_test_run_opts", "0.17"),
    /** {@code bpf_xdp_attach}. */
    BPF_XDP_ATTACH("bpf_xdp_attach", "0.17"),
    /** {@code bpf_xdp_detach}. */
    BPF_XDP_DETACH("bpf_xdp_detach", "0.17"),
    /** {@code bpf_xdp_query_id}. */
    BPF_XDP_QUERY_ID("bpf_xdp_query_id", "0.17"),
    /** {@code libbpf_num_possible_cpus}. */
    LIBBPF_NUM_POSSIBLE_CPUS("libbpf_num_possible_cpus", "0.17"),

    // The functions of efW's bpf.h (the seed header): -errno returns.
    /** {@code bpf_link_detach}. */
    BPF_LINK_DETACH("bpf_link_detach", "0.17"),
    /** {@code bpf_link_get_fd_by_id}. */
    BPF_LINK_GET_FD_BY_ID("bpf_link_get_fd_by_id", "0.17"),
    /** {@code bpf_link_get_next_id}. */
    BPF_LINK_GET_NEXT_ID("bpf_link_get_next_id", "0.17"),
    /** {@code bpf_map_create}. */
    BPF_MAP_CREATE("bpf_map_create", "0.17"),
    /** {@code bpf_map_delete_elem}. */
    BPF_MAP_DELETE_ELEM("bpf_map_delete_elem", "0.17"),
    /** {@code bpf_map_get_fd_by_id}. */
    BPF_MAP_GET_FD_BY_ID("bpf_map_get_fd_by_id", "0.17"),
    /** {@code bpf_map_get_next_id}. */
    BPF_MAP_GET_NEXT_ID("bpf_map_get_next_id", "0.17"),
    /** {@code bpf_map_get_next_key}. */
    BPF_MAP_GET_NEXT_KEY("bpf_map_get_next_key", "0.17"),
    /** {@code bpf_map_lookup_elem}. */
    BPF_MAP_LOOKUP_ELEM("bpf_map_lookup_elem", "0.17"),
    /** {@code bpf_map_update_elem}. */
    BPF_MAP_UPDATE_ELEM("bpf_map_update_elem", "0.17"),
    /** {@code bpf_obj_get}. */
    BPF_OBJ_GET("bpf_obj_get", "0.17"),
    /** {@code bpf_obj_get_info_by_fd}: the Windows structs. */
    BPF_OBJ_GET_INFO_BY_FD("bpf_obj_get_info_by_fd", "0.17"),
    /** {@code bpf_obj_pin}. */
    BPF_OBJ_PIN("bpf_obj_pin", "0.17"),
    /** {@code bpf_prog_bind_map}. */
    BPF_PROG_BIND_MAP("bpf_prog_bind_map", "0.17"),
    /** {@code bpf_prog_get_fd_by_id}. */
    BPF_PROG_GET_FD_BY_ID("bpf_prog_get_fd_by_id", "0.17"),
    /** {@code bpf_prog_get_next_id}. */
    BPF_PROG_GET_NEXT_ID("bpf_prog_get_next_id", "0.17"),
    /** {@code bpf_prog_load}. */
    BPF_PROG_LOAD("bpf_prog_load", "0.17");

    private final String symbol;
    private final String since;

    Export(String symbol, String since) {
        this.symbol = symbol;
        this.since = since;
    }

    /**
     * The exported name.
     *
     * @return the symbol
     */
    public String symbol() {
        return symbol;
    }

    /**
     * The first release that exports it.
     *
     * @return a version such as {@code 0.21.0}
     */
    public String since() {
        return since;
    }

    /**
     * Why an operation needing this export is unsupported when the library lacks it.
     *
     * @return the reason
     */
    public String missingReason() {
        return "not in this ebpfapi.dll: it does not export " + symbol + " (eBPF for Windows "
                + (since.equals("0.17") ? "0.17 and later export it" : since + " or later")
                + "; upgrade eBPF for Windows)";
    }
}
