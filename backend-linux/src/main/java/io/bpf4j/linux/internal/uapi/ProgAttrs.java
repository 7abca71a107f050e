package io.bpf4j.linux.internal.uapi;

import io.bpf4j.api.ProgramBtf;
import io.bpf4j.api.ProgramSpec;
import java.nio.ByteBuffer;

/**
 * Encoders of the program commands' part of {@code union bpf_attr} (Linux 6.18 uapi):
 * {@code BPF_PROG_LOAD}, {@code BPF_PROG_TEST_RUN}, {@code BPF_PROG_BIND_MAP} and
 * {@code BPF_PROG_STREAM_READ_BY_FD}.
 */
public final class ProgAttrs {
    // BPF_PROG_LOAD (Linux 6.18 uapi)
    static final int PROG_TYPE = 0;
    static final int INSN_CNT = 4;
    static final int INSNS = 8;
    static final int LICENSE = 16;
    static final int LOG_LEVEL = 24;
    static final int LOG_SIZE = 28;
    static final int LOG_BUF = 32;
    static final int KERN_VERSION = 40;
    static final int PROG_FLAGS = 44;
    static final int PROG_NAME = 48;
    static final int PROG_IFINDEX = 64;
    static final int EXPECTED_ATTACH_TYPE = 68;
    static final int PROG_BTF_FD = 72;
    static final int FUNC_INFO_REC_SIZE = 76;
    static final int FUNC_INFO = 80;
    static final int FUNC_INFO_CNT = 88;
    static final int LINE_INFO_REC_SIZE = 92;
    static final int LINE_INFO = 96;
    static final int LINE_INFO_CNT = 104;
    static final int ATTACH_BTF_ID = 108;
    /** {@code attach_prog_fd} and {@code attach_btf_obj_fd} share this slot. */
    static final int ATTACH_PROG_FD = 112;
    static final int FD_ARRAY = 120;
    /** Offset of {@code log_true_size}: the log size the kernel needed (Linux 6.4+). */
    public static final int LOG_TRUE_SIZE = 140;
    static final int PROG_TOKEN_FD = 144;

    // BPF_PROG_TEST_RUN (Linux 6.18 uapi, struct test)
    static final int TEST_PROG_FD = 0;
    /** Offset of {@code test.retval} (out). */
    public static final int TEST_RETVAL = 4;
    static final int TEST_DATA_SIZE_IN = 8;
    /** Offset of {@code test.data_size_out} (in: room; out: what the kernel produced). */
    public static final int TEST_DATA_SIZE_OUT = 12;
    static final int TEST_DATA_IN = 16;
    static final int TEST_DATA_OUT = 24;
    static final int TEST_REPEAT = 32;
    /** Offset of {@code test.duration} (out, ns per run). */
    public static final int TEST_DURATION = 36;
    static final int TEST_CTX_SIZE_IN = 40;
    /** Offset of {@code test.ctx_size_out} (in-out). */
    public static final int TEST_CTX_SIZE_OUT = 44;
    static final int TEST_CTX_IN = 48;
    static final int TEST_CTX_OUT = 56;
    static final int TEST_FLAGS = 64;
    static final int TEST_CPU = 68;
    static final int TEST_BATCH_SIZE = 72;

    private ProgAttrs() {
    }

    /**
     * {@code BPF_PROG_LOAD}: every {@link ProgramSpec} attribute except the buffers, which the
     * caller placed in native memory.
     *
     * @param attr the zeroed attribute buffer
     * @param spec the program
     * @param insns address of {@code instructions.length} 8-byte instructions
     * @param license address of the NUL-terminated license
     * @param logLevel the log level for this attempt
     * @param logBuf address of the log buffer, or 0
     * @param logSize its size, or 0
     * @param fdArray address of the fd array, or 0
     */
    public static void load(ByteBuffer attr, ProgramSpec spec, long insns, long license, int logLevel, long logBuf,
            int logSize, long fdArray) {
        attr.putInt(PROG_TYPE, LinuxUapi.programType(spec.type()));
        attr.putInt(INSN_CNT, spec.instructions().length);
        attr.putLong(INSNS, insns);
        attr.putLong(LICENSE, license);
        attr.putInt(LOG_LEVEL, logLevel);
        attr.putInt(LOG_SIZE, logSize);
        attr.putLong(LOG_BUF, logBuf);
        attr.putInt(KERN_VERSION, spec.kernVersion());
        attr.putInt(PROG_FLAGS, spec.flags());
        BpfAttr.putName(attr, PROG_NAME, spec.name());
        attr.putInt(PROG_IFINDEX, spec.ifindex());
        attr.putInt(EXPECTED_ATTACH_TYPE, spec.expectedAttachType() == null ? 0
                : LinuxUapi.attachType(spec.expectedAttachType()));
        attr.putInt(ATTACH_BTF_ID, spec.attachBtfId());
        // One slot, two meanings: the program to extend (EXT) or the module BTF object (tracing).
        attr.putInt(ATTACH_PROG_FD, spec.attachProgFd() != 0 ? spec.attachProgFd() : spec.attachBtfObjFd());
        attr.putLong(FD_ARRAY, fdArray);
        attr.putInt(PROG_TOKEN_FD, spec.tokenFd());
    }

    /**
     * {@code BPF_PROG_LOAD}'s BTF attributes, after {@link #load}: {@code prog_btf_fd} and the
     * {@code func_info} and {@code line_info} arrays, which the caller placed in native memory,
     * each exactly {@code count * rec_size} bytes.
     *
     * @param attr the attribute buffer {@link #load} filled
     * @param btf the program's BTF
     * @param funcInfo address of the {@code func_info} records, or 0 without any
     * @param lineInfo address of the {@code line_info} records, or 0 without any
     */
    public static void loadBtf(ByteBuffer attr, ProgramBtf btf, long funcInfo, long lineInfo) {
        attr.putInt(PROG_BTF_FD, btf.btfFd());
        if (btf.funcInfoCount() > 0) {
            attr.putInt(FUNC_INFO_REC_SIZE, btf.funcInfoRecSize());
            attr.putLong(FUNC_INFO, funcInfo);
            attr.putInt(FUNC_INFO_CNT, btf.funcInfoCount());
        }
        if (btf.lineInfoCount() > 0) {
            attr.putInt(LINE_INFO_REC_SIZE, btf.lineInfoRecSize());
            attr.putLong(LINE_INFO, lineInfo);
            attr.putInt(LINE_INFO_CNT, btf.lineInfoCount());
        }
    }

    /**
     * {@code BPF_PROG_TEST_RUN}.
     *
     * @param attr the zeroed attribute buffer
     * @param progFd the program
     * @param dataIn address of the input data, or 0
     * @param dataSizeIn its size
     * @param dataOut address of the room for output data, or 0
     * @param dataSizeOut that room's size
     * @param ctxIn address of the input context, or 0
     * @param ctxSizeIn its size
     * @param ctxOut address of the room for the output context, or 0
     * @param ctxSizeOut that room's size
     * @param repeat repetitions
     * @param flags {@code BPF_F_TEST_*}
     * @param cpu the CPU with {@code BPF_F_TEST_RUN_ON_CPU}
     * @param batchSize XDP live frames batch size
     */
    public static void testRun(ByteBuffer attr, int progFd, long dataIn, int dataSizeIn, long dataOut,
            int dataSizeOut, long ctxIn, int ctxSizeIn, long ctxOut, int ctxSizeOut, int repeat, int flags, int cpu,
            int batchSize) {
        attr.putInt(TEST_PROG_FD, progFd);
        attr.putInt(TEST_DATA_SIZE_IN, dataSizeIn);
        attr.putInt(TEST_DATA_SIZE_OUT, dataSizeOut);
        attr.putLong(TEST_DATA_IN, dataIn);
        attr.putLong(TEST_DATA_OUT, dataOut);
        attr.putInt(TEST_REPEAT, repeat);
        attr.putInt(TEST_CTX_SIZE_IN, ctxSizeIn);
        attr.putInt(TEST_CTX_SIZE_OUT, ctxSizeOut);
        attr.putLong(TEST_CTX_IN, ctxIn);
        attr.putLong(TEST_CTX_OUT, ctxOut);
        attr.putInt(TEST_FLAGS, flags);
        attr.putInt(TEST_CPU, cpu);
        attr.putInt(TEST_BATCH_SIZE, batchSize);
    }

    /**
     * {@code BPF_PROG_BIND_MAP} (Linux 6.18 uapi, struct prog_bind_map).
     *
     * @param attr the zeroed attribute buffer
     * @param progFd the program
     * @param mapFd the map
     * @param flags must be 0
     */
    public static void bindMap(ByteBuffer attr, int progFd, int mapFd, int flags) {
        attr.putInt(0, progFd);
        attr.putInt(4, mapFd);
        attr.putInt(8, flags);
    }

    /**
     * {@code BPF_PROG_STREAM_READ_BY_FD} (Linux 6.17+ uapi, struct prog_stream_read).
     *
     * @param attr the zeroed attribute buffer
     * @param buf address of the buffer
     * @param len its size
     * @param streamId 1 stdout, 2 stderr
     * @param progFd the program
     */
    public static void streamRead(ByteBuffer attr, long buf, int len, int streamId, int progFd) {
        attr.putLong(0, buf);
        attr.putInt(8, len);
        attr.putInt(12, streamId);
        attr.putInt(16, progFd);
    }
}
