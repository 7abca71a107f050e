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
 * <h2>The kernel behind the backend</h2>
 * CO-RE relocations are resolved, and {@code __ksym} externs (kfunc calls, kernel variables)
 * and BTF-typed attach targets found, in the kernel's BTF that the backend publishes (its
 * {@code vmlinux} BTF object; modules' BTF objects after it). {@code .kconfig} externs
 * ({@code LINUX_KERNEL_VERSION}, {@code CONFIG_*}) fill a frozen {@code .kconfig} map from the
 * running kernel's configuration when the backend is the running Linux kernel. A backend with
 * neither, such as the simulator, gets them from {@link io.bpf4j.api.object.LoadOptions}
 * ({@code withTargetBtf}, {@code withKconfig}, {@code withKernelVersion}); a strong extern or
 * kfunc nothing provides is a {@link io.bpf4j.api.BpfUnsupportedException} naming it. Programs
 * load with their {@code func_info} and {@code line_info}, so callbacks ({@code bpf_loop},
 * {@code bpf_for_each_map_elem}) verify; {@code freplace/} programs take their target program
 * from {@code LoadOptions.withExtensionTarget}.
 *
 * <h2>Not yet</h2>
 * struct_ops maps and programs, arena variables and big-endian objects are refused by name,
 * saying so.
 */
package io.bpf4j.api.object;
