package io.bpf4j.sim.internal.vm;

import static io.bpf4j.sim.internal.vm.LinuxErrno.*;

import io.bpf4j.api.MapType;
import io.bpf4j.api.asm.Helper;
import java.nio.charset.StandardCharsets;

/**
 * The helpers every program type shares: maps, time, random numbers, CPU, task, tracing, tail
 * calls, ring buffers and perf output. Each returns what the kernel's helper returns, and
 * rejects at run time (with {@link VmException}) argument misuse the kernel's verifier would
 * have rejected at load, such as a lookup on a ring buffer.
 */
final class StandardHelpers {
    private StandardHelpers() {}

    /** {@code BPF_F_CURRENT_CPU} / {@code BPF_F_INDEX_MASK}. */
    private static final long INDEX_MASK = 0xffffffffL;
    private static final int TASK_COMM_LEN = 16;
    private static final long F_EXIST = 2;
    private static final long F_LOCK = 4;

    static final HelperTable TABLE = HelperTable.empty()
            .with(Helper.MAP_LOOKUP_ELEM, StandardHelpers::mapLookup)
            .with(Helper.MAP_UPDATE_ELEM, StandardHelpers::mapUpdate)
            .with(Helper.MAP_DELETE_ELEM, StandardHelpers::mapDelete)
            .with(Helper.MAP_PUSH_ELEM, StandardHelpers::mapPush)
            .with(Helper.MAP_POP_ELEM, (vm, r1, r2, r3, r4, r5) -> mapTake(vm, r1, r2, true, "bpf_map_pop_elem"))
            .with(Helper.MAP_PEEK_ELEM, (vm, r1, r2, r3, r4, r5) -> mapTake(vm, r1, r2, false, "bpf_map_peek_elem"))
            .with(Helper.KTIME_GET_NS, (vm, r1, r2, r3, r4, r5) -> vm.env().monotonicNanos())
            .with(Helper.KTIME_GET_BOOT_NS, (vm, r1, r2, r3, r4, r5) -> vm.env().bootNanos())
            .with(Helper.GET_PRANDOM_U32, (vm, r1, r2, r3, r4, r5) -> vm.env().random32() & 0xffffffffL)
            .with(Helper.GET_SMP_PROCESSOR_ID, (vm, r1, r2, r3, r4, r5) -> vm.env().cpu())
            .with(Helper.GET_CURRENT_PID_TGID,
                    (vm, r1, r2, r3, r4, r5) -> (long) vm.env().task().tgid() << 32 | (vm.env().task().pid() & 0xffffffffL))
            .with(Helper.GET_CURRENT_UID_GID,
                    (vm, r1, r2, r3, r4, r5) -> (long) vm.env().task().gid() << 32 | (vm.env().task().uid() & 0xffffffffL))
            .with(Helper.GET_CURRENT_COMM, StandardHelpers::currentComm)
            // The kernel has one helper per context kind (trace run ctx, perf event, cgroup); all
            // return the cookie of what the program was attached through, which the Vm holds.
            .with(Helper.GET_ATTACH_COOKIE, (vm, r1, r2, r3, r4, r5) -> vm.env().attachCookie())
            .with(Helper.TRACE_PRINTK, TracePrintk::call)
            .with(Helper.TAIL_CALL, StandardHelpers::tailCall)
            .with(Helper.RINGBUF_OUTPUT, StandardHelpers::ringbufOutput)
            .with(Helper.RINGBUF_RESERVE, StandardHelpers::ringbufReserve)
            .with(Helper.RINGBUF_SUBMIT, (vm, r1, r2, r3, r4, r5) -> ringbufEnd(vm, r1, r2, false))
            .with(Helper.RINGBUF_DISCARD, (vm, r1, r2, r3, r4, r5) -> ringbufEnd(vm, r1, r2, true))
            .with(Helper.RINGBUF_QUERY, (vm, r1, r2, r3, r4, r5) -> ring(vm, r1, "bpf_ringbuf_query").query(r2))
            .with(Helper.PERF_EVENT_OUTPUT, StandardHelpers::perfEventOutput)
            .with(Helper.SKB_LOAD_BYTES, PacketHelpers::skbLoadBytes)
            .with(Helper.SKB_STORE_BYTES, PacketHelpers::skbStoreBytes)
            .with(Helper.XDP_ADJUST_HEAD, PacketHelpers::xdpAdjustHead)
            .with(Helper.XDP_ADJUST_TAIL, PacketHelpers::xdpAdjustTail)
            .with(Helper.CSUM_DIFF, PacketHelpers::csumDiff)
            .with(Helper.L3_CSUM_REPLACE, PacketHelpers::l3CsumReplace)
            .with(Helper.L4_CSUM_REPLACE, PacketHelpers::l4CsumReplace)
            .with(Helper.XDP_ADJUST_META, XdpHelpers::adjustMeta)
            .with(Helper.XDP_GET_BUFF_LEN, XdpHelpers::getBuffLen)
            .with(Helper.XDP_LOAD_BYTES, XdpHelpers::loadBytes)
            .with(Helper.XDP_STORE_BYTES, XdpHelpers::storeBytes)
            .with(Helper.REDIRECT, XdpHelpers::redirect)
            .with(Helper.SKB_PULL_DATA, SkbHelpers::pullData)
            .with(Helper.SKB_CHANGE_TAIL, SkbHelpers::changeTail)
            .with(Helper.SKB_CHANGE_HEAD, SkbHelpers::changeHead)
            .with(Helper.SKB_VLAN_PUSH, SkbHelpers::vlanPush)
            .with(Helper.SKB_VLAN_POP, SkbHelpers::vlanPop)
            .with(Helper.SKB_ADJUST_ROOM, SkbHelpers::adjustRoom)
            .with(Helper.SKB_LOAD_BYTES_RELATIVE, SkbHelpers::loadBytesRelative)
            .with(Helper.SKB_CHANGE_TYPE, SkbHelpers::changeType)
            .with(Helper.CSUM_UPDATE, SkbHelpers::csumUpdate)
            .with(Helper.CSUM_LEVEL, SkbHelpers::csumLevel)
            .with(Helper.SET_HASH_INVALID, NetHelpers::setHashInvalid)
            .with(Helper.SET_HASH, NetHelpers::setHash)
            .with(Helper.GET_HASH_RECALC, NetHelpers::getHashRecalc)
            .with(Helper.SKB_CHANGE_PROTO, NetHelpers::changeProto)
            .with(Helper.CHECK_MTU, NetHelpers::checkMtu)
            .with(Helper.CLONE_REDIRECT, NetHelpers::cloneRedirect)
            .with(Helper.REDIRECT_PEER, NetHelpers::redirectPeer)
            .with(Helper.REDIRECT_NEIGH, NetHelpers::redirectNeigh)
            .with(Helper.REDIRECT_MAP, NetHelpers::redirectMap)
            .with(Helper.SK_LOOKUP_TCP, SocketHelpers::lookup)
            .with(Helper.SK_LOOKUP_UDP, SocketHelpers::lookup)
            .with(Helper.SKC_LOOKUP_TCP, SocketHelpers::lookup)
            .with(Helper.SK_RELEASE, SocketHelpers::release)
            // A test run's skb has no route (skb_dst() is NULL).
            .with(Helper.GET_ROUTE_REALM, (vm, r1, r2, r3, r4, r5) -> 0)
            .with(Helper.KTIME_GET_COARSE_NS, (vm, r1, r2, r3, r4, r5) -> vm.env().monotonicNanos())
            .with(Helper.KTIME_GET_TAI_NS, (vm, r1, r2, r3, r4, r5) -> vm.env().monotonicNanos())
            .with(Helper.JIFFIES64, (vm, r1, r2, r3, r4, r5) -> vm.env().monotonicNanos() / 4_000_000L)
            .with(Helper.GET_NUMA_NODE_ID, (vm, r1, r2, r3, r4, r5) -> 0)
            // Runs never overlap in the simulator (one at a time under its lock): a spin lock
            // region is always uncontended.
            .with(Helper.SPIN_LOCK, (vm, r1, r2, r3, r4, r5) -> 0)
            .with(Helper.SPIN_UNLOCK, (vm, r1, r2, r3, r4, r5) -> 0)
            .with(Helper.LOOP, Callbacks::loop)
            .with(Helper.FOR_EACH_MAP_ELEM, Callbacks::forEachMapElem)
            .with(Helper.USER_RINGBUF_DRAIN, Callbacks::userRingbufDrain)
            .with(Helper.DYNPTR_READ, Callbacks::dynptrRead)
            .with(Helper.DYNPTR_WRITE, Callbacks::dynptrWrite)
            .with(Helper.DYNPTR_DATA, Callbacks::dynptrData);

    /** Rejects map types the kernel's verifier does not allow with a helper. */
    private static VmMap dataMap(Vm vm, long ptr, String helper) {
        VmMap m = vm.map(ptr);
        MapType t = m.type();
        if (m instanceof VmRingBuffer || m instanceof VmProgArray || m instanceof VmPerfEventArray
                || t == MapType.QUEUE || t == MapType.STACK || t == MapType.RINGBUF || t == MapType.PROG_ARRAY
                || t == MapType.PERF_EVENT_ARRAY || t == MapType.USER_RINGBUF) {
            throw new VmException(-1, "cannot pass map_type " + t + " into func " + helper);
        }
        return m;
    }

    private static long mapLookup(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmMap m = dataMap(vm, r1, "bpf_map_lookup_elem");
        if (m.type() == MapType.ARRAY_OF_MAPS || m.type() == MapType.HASH_OF_MAPS) {
            VmMap inner = m.innerMap(vm.read(r2, m.keySize()));
            return inner == null ? 0 : vm.mapPointer(inner);
        }
        byte[] value = m.lookup(vm.readKey(r2, m.keySize()), vm.env().cpu());
        if (value == null) {
            return 0;
        }
        if (value.length != m.valueSize()) {
            throw new IllegalStateException("map returned a value of " + value.length + " bytes, not "
                    + m.valueSize());
        }
        return vm.valuePointer(m, value);
    }

    private static long mapUpdate(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmMap m = dataMap(vm, r1, "bpf_map_update_elem");
        byte[] key = vm.readKey(r2, m.keySize());
        // Every map's update starts with "(flags & ~BPF_F_LOCK) > BPF_EXIST" on an unsigned u64
        // (array, hash, LRU; the per-CPU array and the trie compare the whole flags), so bit 63
        // is EINVAL too.
        if (Long.compareUnsigned(r4 & ~F_LOCK, F_EXIST) > 0) {
            return -EINVAL;
        }
        byte[] value = vm.readValue(r3, m.valueSize());
        int lock = m.spinLockOffset();
        if (lock >= 0) {
            // copy_map_value() never writes the lock word; the simulator's runs hold no lock.
            java.util.Arrays.fill(value, lock, lock + 4, (byte) 0);
        }
        if ((r4 & F_LOCK) != 0 && lock < 0) {
            // The value holds no bpf_spin_lock: array_map_update_elem() (plain and per-CPU)
            // answers E2BIG and EEXIST before it looks for the lock, every other map refuses
            // BPF_F_LOCK first.
            if (m.type() == MapType.ARRAY || m.type() == MapType.PERCPU_ARRAY) {
                if (Integer.toUnsignedLong(le32(key)) >= m.maxEntries()) return -E2BIG;
                if ((r4 & 1) != 0) return -EEXIST;
            }
            return -EINVAL;
        }
        return m.update(key, value, r4, vm.env().cpu());
    }

    private static int le32(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private static long mapDelete(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmMap m = dataMap(vm, r1, "bpf_map_delete_elem");
        return m.delete(vm.read(r2, m.keySize()));
    }

    private static VmMap queue(Vm vm, long ptr, String helper) {
        VmMap m = vm.map(ptr);
        if (m.type() != MapType.QUEUE && m.type() != MapType.STACK && m.type() != MapType.BLOOM_FILTER) {
            throw new VmException(-1, "cannot pass map_type " + m.type() + " into func " + helper);
        }
        return m;
    }

    private static long mapPush(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmMap m = queue(vm, r1, "bpf_map_push_elem");
        return m.push(vm.read(r2, m.valueSize()), r3);
    }

    private static long mapTake(Vm vm, long r1, long r2, boolean remove, String helper) {
        VmMap m = queue(vm, r1, helper);
        if (m.type() == MapType.BLOOM_FILTER) {
            // bloom_map_peek_elem() tests the program's value and writes nothing back.
            return remove ? -EOPNOTSUPP : m.peek(vm.read(r2, m.valueSize()));
        }
        byte[] out = new byte[m.valueSize()];
        int rc = remove ? m.pop(out) : m.peek(out);
        if (rc == 0) {
            vm.write(r2, out, 0, out.length);
        }
        return rc;
    }

    private static long currentComm(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        int size = (int) r2;
        if (r2 <= 0 || r2 > Integer.MAX_VALUE) {
            throw new VmException(-1, "bpf_get_current_comm: invalid size " + r2);
        }
        byte[] buf = new byte[size];
        byte[] comm = vm.env().task().comm().getBytes(StandardCharsets.UTF_8);
        // strscpy_pad: at most TASK_COMM_LEN - 1 bytes of name, always NUL-terminated, zero-padded.
        int n = Math.min(Math.min(comm.length, TASK_COMM_LEN - 1), size - 1);
        System.arraycopy(comm, 0, buf, 0, n);
        vm.write(r1, buf, 0, size);
        return 0;
    }

    private static long tailCall(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmMap m = vm.map(r2);
        if (!(m instanceof VmProgArray)) {
            throw new VmException(-1, "cannot pass map_type " + m.type() + " into func bpf_tail_call");
        }
        long index = r3 & 0xffffffffL;
        if (index >= m.maxEntries()) {
            return vm.register(0);
        }
        VmProgram target = ((VmProgArray) m).program((int) index);
        if (target == null || !vm.tailCall(target)) {
            // The kernel's interpreter falls through leaving r0 as it was.
            return vm.register(0);
        }
        return 0;
    }

    private static VmRingBuffer ring(Vm vm, long ptr, String helper) {
        VmMap m = vm.map(ptr);
        if (!(m instanceof VmRingBuffer)) {
            throw new VmException(-1, "cannot pass map_type " + m.type() + " into func " + helper);
        }
        return (VmRingBuffer) m;
    }

    private static long ringbufOutput(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmRingBuffer ring = ring(vm, r1, "bpf_ringbuf_output");
        if ((r4 & ~3L) != 0) {
            return -EINVAL;
        }
        checkSize(r3, "bpf_ringbuf_output");
        return ring.output(vm.read(r2, (int) r3), r4);
    }

    private static long ringbufReserve(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmRingBuffer ring = ring(vm, r1, "bpf_ringbuf_reserve");
        // A size of 0 is a valid empty record (the verifier's ARG_CONST_ALLOC_SIZE_OR_ZERO).
        if (r3 != 0 || r2 < 0 || r2 > Integer.MAX_VALUE - 8) {
            return 0;
        }
        byte[] record = ring.reserve((int) r2);
        if (record == null) {
            return 0;
        }
        if (record.length != (int) r2) {
            throw new IllegalStateException("ring buffer reserved " + record.length + " bytes, not " + r2);
        }
        return vm.reserve(ring, record);
    }

    private static long ringbufEnd(Vm vm, long r1, long r2, boolean discard) {
        vm.endReservation(r1, discard, r2);
        return 0;
    }

    private static long perfEventOutput(Vm vm, long r1, long r2, long r3, long r4, long r5) {
        VmMap m = vm.map(r2);
        if (!(m instanceof VmPerfEventArray)) {
            throw new VmException(-1, "cannot pass map_type " + m.type() + " into func bpf_perf_event_output");
        }
        if ((r3 & ~(INDEX_MASK | 0xfffffL << 32)) != 0) {
            return -EINVAL;
        }
        long index = r3 & INDEX_MASK;
        if (index == INDEX_MASK) {
            index = vm.env().cpu();
        }
        if (index >= m.maxEntries()) {
            return -E2BIG;
        }
        checkSize(r5, "bpf_perf_event_output");
        return ((VmPerfEventArray) m).output((int) index, vm.read(r4, (int) r5), vm.env().cpu());
    }

    static void checkSize(long size, String helper) {
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new VmException(-1, helper + ": invalid size " + size);
        }
    }
}
