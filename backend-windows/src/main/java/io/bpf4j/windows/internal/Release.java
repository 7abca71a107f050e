package io.bpf4j.windows.internal;

import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.Export;

/**
 * The oldest eBPF for Windows release the library can be, judged by the exports each release
 * added (see {@link Export}'s markers). Behaviour that changed between releases without a
 * change of signature is chosen here, never by trying and failing: some of the old behaviours
 * end the process instead of returning an error.
 */
enum Release {
    /** 0.21.x: the oldest release with every export the backend requires ({@code ebpf_close_fd}). */
    V0_21("0.21.0", null),
    /** 1.0.0-rc1: {@code ebpf_canonicalize_pin_path} arrived with the other changes below. */
    V1_0("1.0.0-rc1", Export.EBPF_CANONICALIZE_PIN_PATH),
    /** 1.1.0. */
    V1_1("1.1.0", Export.MARK_1_1_0),
    /** 1.2.1 or 1.3.0 (1.3.0 added no export). */
    V1_2("1.2.1", Export.MARK_1_2_1),
    /** 1.4.0. */
    V1_4("1.4.0", Export.MARK_1_4_0),
    /** 1.5.0 or later. */
    V1_5("1.5.0", Export.MARK_1_5_0);

    private final String version;
    private final Export marker;

    Release(String version, Export marker) {
        this.version = version;
        this.marker = marker;
    }

    /** The newest release whose marker the library exports; markers only accumulate. */
    static Release of(EbpfApi api) {
        Release r = V0_21;
        for (Release c : values()) {
            if (c.marker != null && api.has(c.marker)) r = c;
        }
        return r;
    }

    /** A version such as {@code 1.0.0-rc1}: the oldest release this can be. */
    String version() {
        return version;
    }

    boolean atLeast(Release other) {
        return compareTo(other) >= 0;
    }

    /**
     * Whether a program load with a log buffer that is too small fails with ENOSPC and reports the
     * size it needed. From 1.0.0-rc1 {@code ebpf_program_load_bytes} truncates the log with
     * {@code strncpy_s(..., _TRUNCATE)}, returns {@code EBPF_OUT_OF_SPACE} when it did, and hands
     * back the true size (libs/api/ebpf_api.cpp@Release-v1.0.0-rc1:3366-3381 and
     * ebpf_api.cpp@v1.5.0:3821-3836). Before, it copies the log with {@code strcpy_s} and no size check
     * (libs/api/ebpf_api.cpp@Release-v0.21.0:3302-3307): a log longer than the buffer goes to the
     * C runtime's invalid-parameter handler, which ends the process.
     */
    boolean logSpaceIsChecked() {
        return atLeast(V1_0);
    }

    /**
     * Whether pin paths are canonicalized to {@code BPF:\...} before they reach the pin table
     * (libs/api/ebpf_api.cpp@Release-v1.0.0-rc1:1279-1283). At 0.21.x the path is stored as given
     * (ebpf_object_pin, libs/api/ebpf_api.cpp@Release-v0.21.0:1269-1297).
     */
    boolean canonicalizesPins() {
        return atLeast(V1_0);
    }
}
