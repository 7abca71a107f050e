/**
 * The Linux backend's machinery: one class per command family ({@code MapCommands},
 * {@code ProgCommands}, {@code LinkCommands}, {@code ObjectCommands}, {@code InfoCommands}),
 * per-thread native scratch, the map shape cache, and the capability {@code Gate} with its
 * kernel probes. Errors: bad input is an {@link java.lang.IllegalArgumentException} before any
 * native call; a kernel error is a {@link io.bpf4j.api.BpfException} with the Linux errno; an
 * operation or type the probes found missing is a {@link io.bpf4j.api.BpfUnsupportedException}
 * with the probe's reason. A probe that cannot finish (EMFILE, ENOMEM, EINTR ...) decides
 * nothing: the command goes to the kernel and the probe runs again next time. An EPERM is
 * explained from the process' effective capabilities ({@code ProcessCaps}). System calls that
 * are no {@code bpf()} command fail with a {@link io.bpf4j.api.BpfException} named by the call
 * ({@code SysError}).
 */
package io.bpf4j.linux.internal;
