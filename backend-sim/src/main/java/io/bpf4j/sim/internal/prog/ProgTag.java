package io.bpf4j.sim.internal.prog;

import static io.bpf4j.api.asm.Opcodes.LD_IMM64;
import static io.bpf4j.api.asm.Opcodes.PSEUDO_MAP_FD;
import static io.bpf4j.api.asm.Opcodes.PSEUDO_MAP_VALUE;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The program tag of {@code bpf_prog_calc_tag()}: the first 8 bytes of a digest of the
 * instructions with the map descriptors of {@code ld_imm64} (map fd and map value forms) zeroed,
 * since descriptors differ between loads. Linux 6.18 digests with SHA-256 (it used SHA-1 before
 * signed programs arrived); the tests hold the value a 6.18 kernel reports.
 */
final class ProgTag {
    private ProgTag() {
    }

    static String of(long[] insns) {
        byte[] raw = new byte[insns.length * 8];
        boolean wasLdMap = false;
        for (int i = 0; i < insns.length; i++) {
            long w = insns[i];
            int code = (int) w & 0xff;
            int src = (int) (w >>> 12) & 0xf;
            int dst = (int) (w >>> 8) & 0xf;
            int off = (short) (w >>> 16);
            if (!wasLdMap && code == LD_IMM64 && (src == PSEUDO_MAP_FD || src == PSEUDO_MAP_VALUE)) {
                wasLdMap = true;
                w &= 0xffffffffL;
            } else if (wasLdMap && code == 0 && dst == 0 && src == 0 && off == 0) {
                wasLdMap = false;
                w &= 0xffffffffL;
            } else {
                wasLdMap = false;
            }
            for (int b = 0; b < 8; b++) raw[i * 8 + b] = (byte) (w >>> (8 * b));
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(raw);
            StringBuilder sb = new StringBuilder(16);
            for (int i = 0; i < 8; i++) sb.append(String.format("%02x", d[i] & 0xff));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
