/**
 * BTF, the BPF Type Format, in plain Java: parse it, look types up, print them, build and encode
 * new BTF, read {@code .BTF.ext}, and read the running kernel's and its modules' BTF. Nothing
 * here needs a backend; loading BTF into a kernel is {@link io.bpf4j.api.BpfBtf}'s.
 *
 * <h2>The model</h2>
 * {@link io.bpf4j.api.btf.Btf} is parsed BTF: the blob and an index of where each type starts.
 * Types are immutable {@link io.bpf4j.api.btf.BtfType} values, one record per
 * {@link io.bpf4j.api.btf.BtfKind} of the Linux 6.18 uapi, that refer to other types by id; they
 * keep every field of the wire format, so encoding a parsed type gives back its bytes. Split BTF
 * (a module's) continues the ids and string offsets of its base (vmlinux's).
 *
 * <ul>
 *   <li>{@link io.bpf4j.api.btf.Btf}: lookup by id, by name and kind; resolution through
 *       typedefs and qualifiers; sizes and alignments.</li>
 *   <li>{@link io.bpf4j.api.btf.BtfDump}: C-like declarations for people, and the one-line
 *       format of {@code bpftool btf dump ... format raw}.</li>
 *   <li>{@link io.bpf4j.api.btf.BtfBuilder}: new BTF, or parsed BTF edited, encoded to the
 *       kernel's wire format; {@link io.bpf4j.api.btf.BtfSanitizer} rewrites kinds an older
 *       kernel lacks, as libbpf does before loading.</li>
 *   <li>{@link io.bpf4j.api.btf.BtfExt}: an object file's {@code .BTF.ext}: func_info,
 *       line_info and CO-RE relocation records per section.</li>
 *   <li>{@link io.bpf4j.api.btf.KernelBtf}: {@code /sys/kernel/btf/vmlinux} and module BTF,
 *       read once per process.</li>
 *   <li>{@link io.bpf4j.api.btf.CoreRelocator}: CO-RE, an object's {@code core_relo} records
 *       resolved against a target BTF and its instructions patched, as libbpf 1.1 does it.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Malformed bytes throw {@link io.bpf4j.api.btf.BtfFormatException} (an
 * {@link java.lang.IllegalArgumentException}) naming what is wrong, the byte offset and the
 * type id; no input makes the parser loop, recurse without bound or allocate more than a small
 * multiple of the input. A type id or name the caller gets wrong is an
 * {@link java.lang.IllegalArgumentException} naming the parameter.
 */
package io.bpf4j.api.btf;
