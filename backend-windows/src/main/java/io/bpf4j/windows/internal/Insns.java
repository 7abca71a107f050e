package io.bpf4j.windows.internal;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Operation;
import io.bpf4j.windows.internal.uapi.WinHelpers;

/**
 * Rewrites a program's instructions for eBPF for Windows before loading: helper calls get their
 * Windows ids ({@code WinHelpers}). The encoding is Linux's: {@code ebpf_inst} is PREVAIL's
 * 8-byte {@code EbpfInst} (libs/api_common/api_common.hpp@v1.5.0:28), read as opcode, src and imm
 * (libs/api/ebpf_api.cpp@v1.5.0:3769-3786). efW resolves only LDDWs with src 1 (a map
 * descriptor) and hands any other to the verifier; the backend refuses those, kfuncs and
 * Linux-only helpers as unsupported before any native call.
 */
final class Insns {
    private static final int CALL = 0x85;
    private static final int LDDW = 0x18;

    private Insns() {
    }

    /**
     * A translated copy.
     *
     * @param words the instructions as the kernel's 64-bit words
     * @return the copy with Windows helper ids
     * @throws BpfUnsupportedException naming the instruction Windows cannot take
     */
    static long[] toWindows(long[] words) {
        long[] out = words.clone();
        for (int i = 0; i < out.length; i++) {
            long w = out[i];
            int code = (int) (w & 0xff);
            int src = (int) (w >>> 12) & 0xf;
            if (code == CALL && src == 0) {
                int linux = (int) (w >>> 32);
                int win = WinHelpers.toWindows(linux);
                if (win < 0) throw unsupported("instruction " + i + ": " + WinHelpers.missing(linux));
                out[i] = (w & 0xffffffffL) | ((long) win << 32);
            } else if (code == CALL && src == 2) {
                throw unsupported("not in eBPF for Windows: instruction " + i + " calls a kfunc");
            } else if (code == LDDW) {
                if (src > 1) {
                    throw unsupported("not in eBPF for Windows: instruction " + i + " is a 64-bit load with src_reg "
                            + src + "; only map descriptors (src_reg 1) are resolved");
                }
                i++;
            }
        }
        return out;
    }

    private static BpfUnsupportedException unsupported(String reason) {
        return Fail.unsupported(Operation.PROG_LOAD, reason);
    }
}
