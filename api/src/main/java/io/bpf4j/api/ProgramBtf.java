package io.bpf4j.api;

import io.bpf4j.api.btf.BtfExt;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * The BTF a program is loaded with: the {@code BPF_PROG_LOAD} attributes {@code prog_btf_fd},
 * {@code func_info_rec_size}, {@code func_info}, {@code func_info_cnt},
 * {@code line_info_rec_size}, {@code line_info} and {@code line_info_cnt} (Linux 6.18
 * {@code include/uapi/linux/bpf.h}). The records are in the kernel's wire format: native byte
 * order, {@code insn_off} counted in instructions (not bytes, as in {@code .BTF.ext}), each
 * record {@code recSize} bytes, of which the kernel reads the fields it knows and requires the
 * rest to be zero.
 *
 * <p>The input rules ({@code funcInfoRecSize} at least {@value #FUNC_INFO_MIN} and at most
 * {@value #REC_SIZE_MAX}, a multiple of 4, {@code count * recSize} inside the array, ...) are
 * checked by every backend before the load; the kernel checks the records themselves and
 * refuses bad ones with a verifier log.
 *
 * @param btfFd the loaded BTF object whose types and strings the records name
 * @param funcInfoRecSize the size of one {@code struct bpf_func_info} record, or 0 without any
 * @param funcInfo the {@code func_info} records, or null; the array is not copied
 * @param funcInfoCount how many {@code func_info} records to pass
 * @param lineInfoRecSize the size of one {@code struct bpf_line_info} record, or 0 without any
 * @param lineInfo the {@code line_info} records, or null; the array is not copied
 * @param lineInfoCount how many {@code line_info} records to pass
 */
public record ProgramBtf(int btfFd, int funcInfoRecSize, byte[] funcInfo, int funcInfoCount, int lineInfoRecSize,
        byte[] lineInfo, int lineInfoCount) {

    /** {@code sizeof(struct bpf_func_info)}: the kernel's smallest {@code func_info_rec_size}. */
    public static final int FUNC_INFO_MIN = 8;
    /** {@code sizeof(struct bpf_line_info)}: the kernel's smallest {@code line_info_rec_size}. */
    public static final int LINE_INFO_MIN = 16;
    /** The kernel's largest record size ({@code MAX_FUNCINFO_REC_SIZE}, {@code MAX_LINEINFO_REC_SIZE}). */
    public static final int REC_SIZE_MAX = 252;

    /**
     * Records with the kernel's record sizes, made from {@code .BTF.ext} records of one section
     * (whose {@code insnOff} counts bytes; the kernel's counts instructions).
     *
     * @param btfFd the loaded BTF object the records refer to
     * @param funcs the function records, possibly empty
     * @param lines the line records, possibly empty
     * @return the program's BTF attributes
     * @throws NullPointerException when a list is null
     */
    public static ProgramBtf of(int btfFd, List<BtfExt.FuncInfo> funcs, List<BtfExt.LineInfo> lines) {
        Objects.requireNonNull(funcs, "funcs");
        Objects.requireNonNull(lines, "lines");
        ByteBuffer f = ByteBuffer.allocate(funcs.size() * FUNC_INFO_MIN).order(ByteOrder.nativeOrder());
        for (BtfExt.FuncInfo fi : funcs) f.putInt(fi.insnIndex()).putInt(fi.typeId());
        ByteBuffer l = ByteBuffer.allocate(lines.size() * LINE_INFO_MIN).order(ByteOrder.nativeOrder());
        for (BtfExt.LineInfo li : lines) l.putInt(li.insnIndex()).putInt(li.fileNameOff()).putInt(li.lineOff()).putInt(li.lineCol());
        return new ProgramBtf(btfFd, funcs.isEmpty() ? 0 : FUNC_INFO_MIN, funcs.isEmpty() ? null : f.array(), funcs.size(),
                lines.isEmpty() ? 0 : LINE_INFO_MIN, lines.isEmpty() ? null : l.array(), lines.size());
    }

    /**
     * The bytes of {@code func_info} the kernel reads: {@code funcInfoCount * funcInfoRecSize}.
     *
     * @return the length in bytes
     */
    public long funcInfoBytes() {
        return (long) funcInfoCount * funcInfoRecSize;
    }

    /**
     * The bytes of {@code line_info} the kernel reads: {@code lineInfoCount * lineInfoRecSize}.
     *
     * @return the length in bytes
     */
    public long lineInfoBytes() {
        return (long) lineInfoCount * lineInfoRecSize;
    }
}
