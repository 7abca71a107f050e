package io.bpf4j.api;

import java.util.Objects;

/**
 * The blueprint of a program, for {@link Bpf#progLoad(ProgramSpec)}: the attributes of the
 * kernel's {@code BPF_PROG_LOAD}. Immutable; change a copy with the {@code with*} methods.
 *
 * {@snippet :
 * long[] insns = new Asm().mov64(Register.R0, 2).exit().toArray(); // XDP_PASS
 * ProgramSpec spec = ProgramSpec.of(ProgramType.XDP, insns, "GPL").withName("pass");
 * }
 *
 * @param type the program type
 * @param instructions the instructions as the kernel's 64-bit {@code struct bpf_insn} words
 *     (see {@code io.bpf4j.api.asm.Instruction#encode()}); the array is not copied
 * @param license the license string; "GPL" (or a compatible one) unlocks GPL-only helpers
 * @param name the program's name, at most 15 characters of {@code [A-Za-z0-9_.]}, or empty
 * @param expectedAttachType the attach type the program is verified for, or null
 * @param attachBtfId for tracing, LSM, struct_ops and extension programs: the target's BTF id
 * @param attachBtfObjFd the BTF object holding {@code attachBtfId} when not vmlinux, or 0
 * @param attachProgFd for extension programs: the program to extend, or 0
 * @param flags {@link ProgramFlags} bits
 * @param kernVersion the kernel version, checked only by old kprobe programs
 * @param logLevel verifier log level: 0 to log only on failure, 1 or 2 to always log, 4 for stats
 * @param logSize initial verifier log buffer size in bytes; it grows on ENOSPC
 * @param ifindex device to offload to, or 0
 * @param fdArray map and BTF descriptors referred to by index from the instructions, or null
 * @param tokenFd a BPF token granting the right to load, or 0
 * @param btf the program's BTF ({@code prog_btf_fd}, {@code func_info}, {@code line_info}), or null
 */
public record ProgramSpec(ProgramType type, long[] instructions, String license, String name,
        AttachType expectedAttachType, int attachBtfId, int attachBtfObjFd, int attachProgFd, int flags,
        int kernVersion, int logLevel, int logSize, int ifindex, int[] fdArray, int tokenFd, ProgramBtf btf) {

    /** The kernel's instruction limit for privileged programs ({@code BPF_COMPLEXITY_LIMIT_INSNS}). */
    public static final int MAX_INSTRUCTIONS = 1_000_000;

    /**
     * Checks the attributes that are wrong on every platform.
     *
     * @throws IllegalArgumentException naming the bad attribute
     */
    public ProgramSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(instructions, "instructions");
        if (type == ProgramType.UNSPEC) throw new IllegalArgumentException("type: UNSPEC is not a program type");
        if (instructions.length == 0) throw new IllegalArgumentException("instructions: empty");
        if (instructions.length > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("instructions: " + instructions.length + " exceeds " + MAX_INSTRUCTIONS);
        }
        license = license == null ? "" : license;
        if (license.indexOf('\0') >= 0) throw new IllegalArgumentException("license: contains NUL");
        name = Names.check(name, "name");
        if (logLevel < 0 || logLevel > 7) throw new IllegalArgumentException("logLevel: " + logLevel + " not in 0..7");
        if (logSize < 0) throw new IllegalArgumentException("logSize: negative (" + logSize + ")");
    }

    /**
     * A spec without program BTF: every attribute but {@link #btf()}, which is null.
     *
     * @param type the program type
     * @param instructions the instructions; not copied
     * @param license the license
     * @param name the name, or empty
     * @param expectedAttachType the expected attach type, or null
     * @param attachBtfId the target's BTF id, or 0
     * @param attachBtfObjFd the BTF object holding it, or 0
     * @param attachProgFd the program to extend, or 0
     * @param flags {@link ProgramFlags} bits
     * @param kernVersion the kernel version
     * @param logLevel verifier log level
     * @param logSize initial verifier log size
     * @param ifindex offload device, or 0
     * @param fdArray descriptors referred to by index, or null
     * @param tokenFd a BPF token, or 0
     * @throws IllegalArgumentException naming the bad attribute
     */
    public ProgramSpec(ProgramType type, long[] instructions, String license, String name,
            AttachType expectedAttachType, int attachBtfId, int attachBtfObjFd, int attachProgFd, int flags,
            int kernVersion, int logLevel, int logSize, int ifindex, int[] fdArray, int tokenFd) {
        this(type, instructions, license, name, expectedAttachType, attachBtfId, attachBtfObjFd, attachProgFd, flags,
                kernVersion, logLevel, logSize, ifindex, fdArray, tokenFd, null);
    }

    /**
     * A program with the given type, code and license, and every other attribute zero.
     *
     * @param type the program type
     * @param instructions the kernel's instruction words
     * @param license the license, e.g. "GPL"
     * @return the spec
     */
    public static ProgramSpec of(ProgramType type, long[] instructions, String license) {
        return new ProgramSpec(type, instructions, license, "", null, 0, 0, 0, 0, 0, 0, 0, 0, null, 0);
    }

    /**
     * A copy with another name.
     *
     * @param name at most 15 characters of {@code [A-Za-z0-9_.]}
     * @return the copy
     */
    public ProgramSpec withName(String name) {
        return new ProgramSpec(type, instructions, license, name, expectedAttachType, attachBtfId, attachBtfObjFd,
                attachProgFd, flags, kernVersion, logLevel, logSize, ifindex, fdArray, tokenFd, btf);
    }

    /**
     * A copy verified for an attach type.
     *
     * @param attachType the expected attach type
     * @return the copy
     */
    public ProgramSpec withExpectedAttachType(AttachType attachType) {
        return new ProgramSpec(type, instructions, license, name, attachType, attachBtfId, attachBtfObjFd,
                attachProgFd, flags, kernVersion, logLevel, logSize, ifindex, fdArray, tokenFd, btf);
    }

    /**
     * A copy with other load flags.
     *
     * @param flags {@link ProgramFlags} bits
     * @return the copy
     */
    public ProgramSpec withFlags(int flags) {
        return new ProgramSpec(type, instructions, license, name, expectedAttachType, attachBtfId, attachBtfObjFd,
                attachProgFd, flags, kernVersion, logLevel, logSize, ifindex, fdArray, tokenFd, btf);
    }

    /**
     * A copy that always asks for the verifier log.
     *
     * @param level 1 or 2 for the log, 4 for statistics only
     * @param size initial buffer size in bytes
     * @return the copy
     */
    public ProgramSpec withLog(int level, int size) {
        return new ProgramSpec(type, instructions, license, name, expectedAttachType, attachBtfId, attachBtfObjFd,
                attachProgFd, flags, kernVersion, level, size, ifindex, fdArray, tokenFd, btf);
    }

    /**
     * A copy attaching to a BTF-described target (tracing, LSM, struct_ops, extension).
     *
     * @param btfId the target's BTF id
     * @param btfObjFd the BTF object holding it, or 0 for vmlinux
     * @param progFd for extensions, the program to extend; else 0
     * @return the copy
     */
    public ProgramSpec withAttachBtf(int btfId, int btfObjFd, int progFd) {
        return new ProgramSpec(type, instructions, license, name, expectedAttachType, btfId, btfObjFd,
                progFd, flags, kernVersion, logLevel, logSize, ifindex, fdArray, tokenFd, btf);
    }

    /**
     * A copy with descriptors referred to by index ({@code BPF_PSEUDO_MAP_IDX}).
     *
     * @param fds the descriptors
     * @return the copy
     */
    public ProgramSpec withFdArray(int... fds) {
        return new ProgramSpec(type, instructions, license, name, expectedAttachType, attachBtfId, attachBtfObjFd,
                attachProgFd, flags, kernVersion, logLevel, logSize, ifindex, fds, tokenFd, btf);
    }

    /**
     * A copy loaded with program BTF: {@code func_info}, {@code line_info} and the BTF object
     * they refer to.
     *
     * @param btf the program's BTF, or null for none
     * @return the copy
     */
    public ProgramSpec withBtf(ProgramBtf btf) {
        return new ProgramSpec(type, instructions, license, name, expectedAttachType, attachBtfId, attachBtfObjFd,
                attachProgFd, flags, kernVersion, logLevel, logSize, ifindex, fdArray, tokenFd, btf);
    }

    /**
     * A copy loaded with program BTF in the kernel's record sizes, made from {@code .BTF.ext}
     * records (see {@link ProgramBtf#of}).
     *
     * @param btfFd the loaded BTF object the records refer to
     * @param funcs the function records, possibly empty
     * @param lines the line records, possibly empty
     * @return the copy
     */
    public ProgramSpec withBtf(int btfFd, java.util.List<io.bpf4j.api.btf.BtfExt.FuncInfo> funcs,
            java.util.List<io.bpf4j.api.btf.BtfExt.LineInfo> lines) {
        return withBtf(ProgramBtf.of(btfFd, funcs, lines));
    }
}
