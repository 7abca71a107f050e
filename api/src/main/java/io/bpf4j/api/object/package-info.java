/**
 * eBPF object files: read a {@code .o} that {@code clang -target bpf -O2 -g -c} wrote, inspect
 * and edit it without a backend, and load it on any backend.
 *
 * <h2>Reading</h2>
 * {@link io.bpf4j.api.object.ObjectSpec#open(java.nio.file.Path)} reads the ELF object (64-bit,
 * little-endian, machine {@code EM_BPF}) and links it: each program (a global function in a
 * section named by libbpf's conventions, such as {@code xdp} or
 * {@code tracepoint/syscalls/sys_enter_getpid}) gets its type, expected attach type and flags
 * from its section name, and the subprograms it calls in {@code .text} or elsewhere are
 * appended to it with their call offsets fixed. Maps come from the legacy {@code maps}
 * section (libbpf's {@code struct bpf_map_def}) and from global data ({@code .data},
 * {@code .rodata}, {@code .bss} and their {@code .data.*}, {@code .rodata.*}, {@code .bss.*}
 * variants), which become one-element arrays named as libbpf names them. Global variables are
 * the named objects of those sections.
 *
 * <h2>Errors</h2>
 * A malformed or unsupported file throws {@link io.bpf4j.api.object.ObjectFormatException}, an
 * {@link java.lang.IllegalArgumentException} whose message names the file, the section and the
 * symbol. Every offset and count in the file is checked before use: no input makes the reader
 * crash, loop without bound or allocate more than a small multiple of the file's size.
 * A program, map or variable name the caller gets wrong is an
 * {@link java.lang.IllegalArgumentException} naming the parameter.
 *
 * <h2>Loading</h2>
 * {@link io.bpf4j.api.object.ObjectSpec#load(io.bpf4j.api.Bpf)} creates every map (BTF-defined
 * maps from {@code .maps} too), reusing a compatible map pinned by name and refusing an
 * incompatible one naming the difference, writes global data and freezes {@code .rodata}, then
 * loads the programs with the maps' descriptors in their instructions, and fills the elements
 * of maps of maps and program arrays that the object initialises. BTF-typed programs
 * ({@code tp_btf/}, {@code fentry/}, {@code lsm/}, {@code iter/} ...) get their target's id from
 * the kernel's BTF. The {@link io.bpf4j.api.object.BpfCollection} it returns owns everything and
 * attaches programs by their section.
 *
 * <h2>Not yet</h2>
 * CO-RE relocations, {@code .kconfig} and {@code .ksyms} externs, kfunc calls, func_info and
 * line_info (and so callbacks, which the kernel verifies only with func_info), freplace targets, targets in modules' BTF, struct_ops and arena sections, and
 * big-endian objects are refused by name.
 */
package io.bpf4j.api.object;
