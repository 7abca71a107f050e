package io.bpf4j.api;

/**
 * A program's info ({@code struct bpf_prog_info}).
 *
 * @param type the program type, or {@link ProgramType#UNSPEC} when unknown
 * @param rawType the platform's number for the type
 * @param id the program's id
 * @param tag the 8-byte tag (a hash of the instructions) as 16 hex digits
 * @param jitedSize JIT image size in bytes, 0 when not JITed or not visible
 * @param xlatedSize translated instruction size in bytes
 * @param loadTimeNs load time, in ns since boot
 * @param createdByUid the loading user's uid
 * @param mapIds ids of the maps the program uses
 * @param name the name
 * @param gplCompatible whether the license is GPL-compatible
 * @param btfId the program's BTF object id, or 0
 * @param runTimeNs total run time, while stats are enabled
 * @param runCount run count, while stats are enabled
 * @param verifiedInstructions instructions the verifier processed
 * @param attachBtfObjId the attach target's BTF object id, or 0
 * @param attachBtfId the attach target's BTF id, or 0
 */
public record ProgramInfo(ProgramType type, int rawType, int id, String tag, int jitedSize, int xlatedSize,
        long loadTimeNs, int createdByUid, int[] mapIds, String name, boolean gplCompatible, int btfId,
        long runTimeNs, long runCount, int verifiedInstructions, int attachBtfObjId, int attachBtfId) {
}
