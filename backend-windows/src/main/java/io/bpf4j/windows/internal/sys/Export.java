package io.bpf4j.windows.internal.sys;

/**
 * Every {@code ebpfapi.dll} export the backend calls, with the first release whose
 * {@code ebpfapi/Source.def} lists it, each cited at the tag where it first appears ("0.17" means
 * 0.17 or earlier: {@code Release-v0.17.0} is the oldest tag checked). Every one of them is in
 * {@code Source.def} at every supported release, {@code Release-v0.21.0} to {@code v1.5.0}, except
 * {@code ebpf_canonicalize_pin_path} (1.0.0-rc1). The set varies by release, so symbols are
 * resolved on first use and a missing one makes only its operation unsupported.
 */
public enum Export {
    /**
     * The Linux-ABI syscall emulation; ebpfapi/Source.def@Release-v0.17.0:8. Its attribute is an
     * "extensible struct" (a shorter one is zero-extended, a longer one must be zero past the
     * view) and it returns -errno: libs/api/bpf_syscall.cpp@Release-v0.21.0:15-54, :170-378.
     */
    BPF("bpf", "0.17"),

    // efW's own functions: ebpf_result_t returns.
    /** {@code ebpf_close_fd}; ebpfapi/Source.def@Release-v0.21.0:112. */
    EBPF_CLOSE_FD("ebpf_close_fd", "0.21.0"),
    /** {@code ebpf_duplicate_fd}; ebpfapi/Source.def@Release-v0.21.0:113. */
    EBPF_DUPLICATE_FD("ebpf_duplicate_fd", "0.21.0"),
    /** {@code ebpf_object_unpin}; ebpfapi/Source.def@Release-v0.17.0:124. */
    EBPF_OBJECT_UNPIN("ebpf_object_unpin", "0.17"),
    /** {@code ebpf_get_next_pinned_object_path}; ebpfapi/Source.def@Release-v0.21.0:124. */
    EBPF_GET_NEXT_PINNED_OBJECT_PATH("ebpf_get_next_pinned_object_path", "0.21.0"),
    /** {@code ebpf_canonicalize_pin_path}; ebpfapi/Source.def@Release-v1.0.0-rc1:110. */
    EBPF_CANONICALIZE_PIN_PATH("ebpf_canonicalize_pin_path", "1.0.0-rc1"),
    /** {@code ebpf_object_get_info_by_fd}; ebpfapi/Source.def@Release-v0.21.0:132. */
    EBPF_OBJECT_GET_INFO_BY_FD("ebpf_object_get_info_by_fd", "0.21.0"),
    /** {@code ebpf_program_attach_by_fds}; ebpfapi/Source.def@Release-v0.21.0:139. */
    EBPF_PROGRAM_ATTACH_BY_FDS("ebpf_program_attach_by_fds", "0.21.0"),
    /** {@code ebpf_get_ebpf_attach_type}; ebpfapi/Source.def@Release-v0.21.0:122. */
    EBPF_GET_EBPF_ATTACH_TYPE("ebpf_get_ebpf_attach_type", "0.21.0"),
    /** {@code ebpf_get_ebpf_program_type}: returns a GUID pointer, null when unregistered; ebpfapi/Source.def@Release-v0.21.0:123. */
    EBPF_GET_EBPF_PROGRAM_TYPE("ebpf_get_ebpf_program_type", "0.21.0"),
    /** {@code ebpf_get_bpf_program_type}; ebpfapi/Source.def@Release-v0.21.0:121. */
    EBPF_GET_BPF_PROGRAM_TYPE("ebpf_get_bpf_program_type", "0.21.0"),
    /** {@code ebpf_get_bpf_attach_type}; ebpfapi/Source.def@Release-v0.21.0:120. */
    EBPF_GET_BPF_ATTACH_TYPE("ebpf_get_bpf_attach_type", "0.21.0"),
    /** {@code ebpf_object_load_native_by_fds}; ebpfapi/Source.def@Release-v0.21.0:133. */
    EBPF_OBJECT_LOAD_NATIVE_BY_FDS("ebpf_object_load_native_by_fds", "0.21.0"),

    /**
     * {@code ebpf_ring_buffer_map_map_buffer(fd, void** consumer, const void** producer, const uint8_t** data,
     * size_t* data_size)}; ebpfapi/Source.def@Release-v1.0.0-rc1:141, include/ebpf_api.h@v1.5.0:651-656.
     */
    EBPF_RING_BUFFER_MAP_MAP_BUFFER("ebpf_ring_buffer_map_map_buffer", "1.0.0-rc1"),
    /** {@code ebpf_ring_buffer_map_unmap_buffer(fd, consumer, producer, data)}; ebpfapi/Source.def@Release-v1.0.0-rc1:142. */
    EBPF_RING_BUFFER_MAP_UNMAP_BUFFER("ebpf_ring_buffer_map_unmap_buffer", "1.0.0-rc1"),
    /** {@code ebpf_map_set_wait_handle(fd, uint64_t index, HANDLE)}; ebpfapi/Source.def@Release-v1.0.0-rc1:126. */
    EBPF_MAP_SET_WAIT_HANDLE("ebpf_map_set_wait_handle", "1.0.0-rc1"),

    /**
     * {@code struct perf_buffer* perf_buffer__new(int map_fd, size_t page_cnt, perf_buffer_sample_fn, perf_buffer_lost_fn,
     * void* ctx, const struct perf_buffer_opts*)}; ebpfapi/Source.def@Release-v0.21.0:156,
     * include/bpf/libbpf.h@Release-v0.21.0:957-964. At 0.21 it subscribes with asynchronous callbacks
     * (libs/api/libbpf_map.cpp@Release-v0.21.0:433-490); at 1.0.0-rc1 it refuses (flags 0 is
     * EBPF_OPERATION_NOT_SUPPORTED, libbpf_map.cpp@Release-v1.0.0-rc1:478-520); from 1.1.0 it maps the
     * rings for {@code perf_buffer__poll}.
     */
    PERF_BUFFER_NEW("perf_buffer__new", "0.21.0"),
    /**
     * {@code ebpf_perf_buffer__new(map_fd, page_cnt, sample_cb, lost_cb, ctx, const struct ebpf_perf_buffer_opts*)}:
     * with {@code EBPF_PERFBUF_FLAG_AUTO_CALLBACK} the asynchronous callbacks; ebpfapi/Source.def@Release-v1.0.0-rc1:133,
     * include/ebpf_api.h@v1.5.0:910-949.
     */
    EBPF_PERF_BUFFER_NEW("ebpf_perf_buffer__new", "1.0.0-rc1"),
    /** {@code void perf_buffer__free(struct perf_buffer*)}; ebpfapi/Source.def@Release-v0.21.0:155. */
    PERF_BUFFER_FREE("perf_buffer__free", "0.21.0"),

    // libbpf-style functions beyond bpf(): -errno returns.
    /** {@code bpf_map_lookup_batch}; ebpfapi/Source.def@Release-v0.17.0:41. */
    BPF_MAP_LOOKUP_BATCH("bpf_map_lookup_batch", "0.17"),
    /** {@code bpf_map_lookup_and_delete_batch}; ebpfapi/Source.def@Release-v0.17.0:39. */
    BPF_MAP_LOOKUP_AND_DELETE_BATCH("bpf_map_lookup_and_delete_batch", "0.17"),
    /** {@code bpf_map_update_batch}; ebpfapi/Source.def@Release-v0.17.0:43. */
    BPF_MAP_UPDATE_BATCH("bpf_map_update_batch", "0.17"),
    /** {@code bpf_map_delete_batch}; ebpfapi/Source.def@Release-v0.17.0:34. */
    BPF_MAP_DELETE_BATCH("bpf_map_delete_batch", "0.17"),
    /** {@code bpf_prog_test_run_opts}; ebpfapi/Source.def@Release-v0.17.0:77. */
    BPF_PROG_TEST_RUN_OPTS("bpf_prog_test_run_opts", "0.17"),
    /** {@code bpf_xdp_attach}; ebpfapi/Source.def@Release-v0.17.0:98. */
    BPF_XDP_ATTACH("bpf_xdp_attach", "0.17"),
    /** {@code bpf_xdp_detach}; ebpfapi/Source.def@Release-v0.17.0:99. */
    BPF_XDP_DETACH("bpf_xdp_detach", "0.17"),
    /** {@code bpf_xdp_query_id}; ebpfapi/Source.def@Release-v0.17.0:100. */
    BPF_XDP_QUERY_ID("bpf_xdp_query_id", "0.17"),
    /** {@code libbpf_num_possible_cpus}; ebpfapi/Source.def@Release-v0.17.0:138. */
    LIBBPF_NUM_POSSIBLE_CPUS("libbpf_num_possible_cpus", "0.17"),

    // The functions of efW's bpf.h (the seed header): -errno returns.
    /** {@code bpf_link_detach}; ebpfapi/Source.def@Release-v0.17.0:17. */
    BPF_LINK_DETACH("bpf_link_detach", "0.17"),
    /** {@code bpf_link_get_fd_by_id}; ebpfapi/Source.def@Release-v0.17.0:18. */
    BPF_LINK_GET_FD_BY_ID("bpf_link_get_fd_by_id", "0.17"),
    /** {@code bpf_link_get_next_id}; ebpfapi/Source.def@Release-v0.17.0:19. */
    BPF_LINK_GET_NEXT_ID("bpf_link_get_next_id", "0.17"),
    /** {@code bpf_map_create}; ebpfapi/Source.def@Release-v0.17.0:33. */
    BPF_MAP_CREATE("bpf_map_create", "0.17"),
    /** {@code bpf_map_delete_elem}; ebpfapi/Source.def@Release-v0.17.0:35. */
    BPF_MAP_DELETE_ELEM("bpf_map_delete_elem", "0.17"),
    /** {@code bpf_map_get_fd_by_id}; ebpfapi/Source.def@Release-v0.17.0:36. */
    BPF_MAP_GET_FD_BY_ID("bpf_map_get_fd_by_id", "0.17"),
    /** {@code bpf_map_get_next_id}; ebpfapi/Source.def@Release-v0.17.0:37. */
    BPF_MAP_GET_NEXT_ID("bpf_map_get_next_id", "0.17"),
    /** {@code bpf_map_get_next_key}; ebpfapi/Source.def@Release-v0.17.0:38. */
    BPF_MAP_GET_NEXT_KEY("bpf_map_get_next_key", "0.17"),
    /** {@code bpf_map_lookup_elem}; ebpfapi/Source.def@Release-v0.17.0:42. */
    BPF_MAP_LOOKUP_ELEM("bpf_map_lookup_elem", "0.17"),
    /** {@code bpf_map_update_elem}; ebpfapi/Source.def@Release-v0.17.0:44. */
    BPF_MAP_UPDATE_ELEM("bpf_map_update_elem", "0.17"),
    /** {@code bpf_obj_get}; ebpfapi/Source.def@Release-v0.17.0:45. */
    BPF_OBJ_GET("bpf_obj_get", "0.17"),
    /** {@code bpf_obj_get_info_by_fd}: the Windows structs; ebpfapi/Source.def@Release-v0.17.0:46. */
    BPF_OBJ_GET_INFO_BY_FD("bpf_obj_get_info_by_fd", "0.17"),
    /** {@code bpf_obj_pin}; ebpfapi/Source.def@Release-v0.17.0:47. */
    BPF_OBJ_PIN("bpf_obj_pin", "0.17"),
    /** {@code bpf_prog_bind_map}; ebpfapi/Source.def@Release-v0.17.0:70. */
    BPF_PROG_BIND_MAP("bpf_prog_bind_map", "0.17"),
    /** {@code bpf_prog_get_fd_by_id}; ebpfapi/Source.def@Release-v0.17.0:73. */
    BPF_PROG_GET_FD_BY_ID("bpf_prog_get_fd_by_id", "0.17"),
    /** {@code bpf_prog_get_next_id}; ebpfapi/Source.def@Release-v0.17.0:76. */
    BPF_PROG_GET_NEXT_ID("bpf_prog_get_next_id", "0.17"),
    /** {@code bpf_prog_load}; ebpfapi/Source.def@Release-v0.17.0:74. */
    BPF_PROG_LOAD("bpf_prog_load", "0.17"),

    // Release markers: never called, only looked up. Each is an export a release added (the
    // difference of Source.def between consecutive tags), so their presence dates the library.
    // 1.3.0 added none to 1.2.1, so the two cannot be told apart this way.
    /** Marker of 1.1.0: ebpfapi/Source.def@Release-v1.1.0:160, absent at Release-v1.0.0-rc1. */
    MARK_1_1_0("perf_buffer__buffer_cnt", "1.1.0"),
    /** Marker of 1.2.1: ebpfapi/Source.def@v1.2.1:108, absent at Release-v1.1.0. */
    MARK_1_2_1("ebpf_api_get_data_section", "1.2.1"),
    /** Marker of 1.4.0: ebpfapi/Source.def@v1.4.0:123, absent at v1.3.0. */
    MARK_1_4_0("ebpf_get_map_annotations_from_verifier", "1.4.0"),
    /** Marker of 1.5.0: ebpfapi/Source.def@v1.5.0:120, absent at v1.4.0. */
    MARK_1_5_0("ebpf_get_btf_resolved_function_info_from_verifier", "1.5.0");

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
