/**
 * The Linux {@code union bpf_attr} wire format, the info structs and the uapi numbers of the
 * portable enums (Linux 6.18 {@code include/uapi/linux/bpf.h}). They belong to this backend
 * alone: the portable module holds no Linux layout, and the simulator keeps its own table of the
 * few numbers it reports.
 */
package io.bpf4j.linux.internal.uapi;
