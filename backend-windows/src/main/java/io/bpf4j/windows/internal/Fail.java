package io.bpf4j.windows.internal;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.windows.internal.uapi.WinErrors;

/** Builds the backend's exceptions from Windows numbers; only this backend reads raw numbers. */
final class Fail {
    static final String BACKEND = "windows";

    private Fail() {
    }

    /**
     * A failed {@code bpf()} or {@code bpf_*} call.
     *
     * @param op the operation
     * @param object what it acted on, or null
     * @param r the negative return value, {@code -errno} in Windows UCRT numbering
     */
    static BpfException errno(Operation op, String object, int r) {
        return new BpfException(BACKEND, op, object, Errno.fromWindows(-r), -r, null);
    }

    /**
     * A failed {@code ebpf_*} call: its {@code ebpf_result_t} becomes the errno libbpf would report.
     *
     * @param op the operation
     * @param object what it acted on, or null
     * @param result the {@code ebpf_result_t}
     * @param call the export's name
     */
    static BpfException result(Operation op, String object, int result, String call) {
        int e = WinErrors.resultToErrno(result);
        return new BpfException(BACKEND, op, object, Errno.fromWindows(e), e, call + " returned " + WinErrors.resultName(result));
    }

    /** An operation this backend cannot do, with the reason the capabilities give. */
    static BpfUnsupportedException unsupported(Operation op, String reason) {
        return new BpfUnsupportedException(BACKEND, op, reason);
    }
}
