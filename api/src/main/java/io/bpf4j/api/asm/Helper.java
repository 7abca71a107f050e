package io.bpf4j.api.asm;

/**
 * The Linux helper functions by id, as numbered in {@code ___BPF_FUNC_MAPPER} of
 * {@code include/uapi/linux/bpf.h} (Linux 6.x; ids 1 to 211 are stable ABI and never reused).
 *
 * <p>eBPF for Windows numbers its helpers differently above the common ones; a backend
 * translates where needed.
 */
public enum Helper {
    /** {@code bpf_map_lookup_elem}, id 1. */
    MAP_LOOKUP_ELEM(1),
    /** {@code bpf_map_update_elem}, id 2. */
    MAP_UPDATE_ELEM(2),
    /** {@code bpf_map_delete_elem}, id 3. */
    MAP_DELETE_ELEM(3),
    /** {@code bpf_probe_read}, id 4. */
    PROBE_READ(4),
    /** {@code bpf_ktime_get_ns}, id 5. */
    KTIME_GET_NS(5),
    /** {@code bpf_trace_printk}, id 6. */
    TRACE_PRINTK(6),
    /** {@code bpf_get_prandom_u32}, id 7. */
    GET_PRANDOM_U32(7),
    /** {@code bpf_get_smp_processor_id}, id 8. */
    GET_SMP_PROCESSOR_ID(8),
    /** {@code bpf_skb_store_bytes}, id 9. */
    SKB_STORE_BYTES(9),
    /** {@code bpf_l3_csum_replace}, id 10. */
    L3_CSUM_REPLACE(10),
    /** {@code bpf_l4_csum_replace}, id 11. */
    L4_CSUM_REPLACE(11),
    /** {@code bpf_tail_call}, id 12. */
    TAIL_CALL(12),
    /** {@code bpf_clone_redirect}, id 13. */
    CLONE_REDIRECT(13),
    /** {@code bpf_get_current_pid_tgid}, id 14. */
    GET_CURRENT_PID_TGID(14),
    /** {@code bpf_get_current_uid_gid}, id 15. */
    GET_CURRENT_UID_GID(15),
    /** {@code bpf_get_current_comm}, id 16. */
    GET_CURRENT_COMM(16),
    /** {@code bpf_get_cgroup_classid}, id 17. */
    GET_CGROUP_CLASSID(17),
    /** {@code bpf_skb_vlan_push}, id 18. */
    SKB_VLAN_PUSH(18),
    /** {@code bpf_skb_vlan_pop}, id 19. */
    SKB_VLAN_POP(19),
    /** {@code bpf_skb_get_tunnel_key}, id 20. */
    SKB_GET_TUNNEL_KEY(20),
    /** {@code bpf_skb_set_tunnel_key}, id 21. */
    SKB_SET_TUNNEL_KEY(21),
    /** {@code bpf_perf_event_read}, id 22. */
    PERF_EVENT_READ(22),
    /** {@code bpf_redirect}, id 23. */
    REDIRECT(23),
    /** {@code bpf_get_route_realm}, id 24. */
    GET_ROUTE_REALM(24),
    /** {@code bpf_perf_event_output}, id 25. */
    PERF_EVENT_OUTPUT(25),
    /** {@code bpf_skb_load_bytes}, id 26. */
    SKB_LOAD_BYTES(26),
    /** {@code bpf_get_stackid}, id 27. */
    GET_STACKID(27),
    /** {@code bpf_csum_diff}, id 28. */
    CSUM_DIFF(28),
    /** {@code bpf_skb_get_tunnel_opt}, id 29. */
    SKB_GET_TUNNEL_OPT(29),
    /** {@code bpf_skb_set_tunnel_opt}, id 30. */
    SKB_SET_TUNNEL_OPT(30),
    /** {@code bpf_skb_change_proto}, id 31. */
    SKB_CHANGE_PROTO(31),
    /** {@code bpf_skb_change_type}, id 32. */
    SKB_CHANGE_TYPE(32),
    /** {@code bpf_skb_under_cgroup}, id 33. */
    SKB_UNDER_CGROUP(33),
    /** {@code bpf_get_hash_recalc}, id 34. */
    GET_HASH_RECALC(34),
    /** {@code bpf_get_current_task}, id 35. */
    GET_CURRENT_TASK(35),
    /** {@code bpf_probe_write_user}, id 36. */
    PROBE_WRITE_USER(36),
    /** {@code bpf_current_task_under_cgroup}, id 37. */
    CURRENT_TASK_UNDER_CGROUP(37),
    /** {@code bpf_skb_change_tail}, id 38. */
    SKB_CHANGE_TAIL(38),
    /** {@code bpf_skb_pull_data}, id 39. */
    SKB_PULL_DATA(39),
    /** {@code bpf_csum_update}, id 40. */
    CSUM_UPDATE(40),
    /** {@code bpf_set_hash_invalid}, id 41. */
    SET_HASH_INVALID(41),
    /** {@code bpf_get_numa_node_id}, id 42. */
    GET_NUMA_NODE_ID(42),
    /** {@code bpf_skb_change_head}, id 43. */
    SKB_CHANGE_HEAD(43),
    /** {@code bpf_xdp_adjust_head}, id 44. */
    XDP_ADJUST_HEAD(44),
    /** {@code bpf_probe_read_str}, id 45. */
    PROBE_READ_STR(45),
    /** {@code bpf_get_socket_cookie}, id 46. */
    GET_SOCKET_COOKIE(46),
    /** {@code bpf_get_socket_uid}, id 47. */
    GET_SOCKET_UID(47),
    /** {@code bpf_set_hash}, id 48. */
    SET_HASH(48),
    /** {@code bpf_setsockopt}, id 49. */
    SETSOCKOPT(49),
    /** {@code bpf_skb_adjust_room}, id 50. */
    SKB_ADJUST_ROOM(50),
    /** {@code bpf_redirect_map}, id 51. */
    REDIRECT_MAP(51),
    /** {@code bpf_sk_redirect_map}, id 52. */
    SK_REDIRECT_MAP(52),
    /** {@code bpf_sock_map_update}, id 53. */
    SOCK_MAP_UPDATE(53),
    /** {@code bpf_xdp_adjust_meta}, id 54. */
    XDP_ADJUST_META(54),
    /** {@code bpf_perf_event_read_value}, id 55. */
    PERF_EVENT_READ_VALUE(55),
    /** {@code bpf_perf_prog_read_value}, id 56. */
    PERF_PROG_READ_VALUE(56),
    /** {@code bpf_getsockopt}, id 57. */
    GETSOCKOPT(57),
    /** {@code bpf_override_return}, id 58. */
    OVERRIDE_RETURN(58),
    /** {@code bpf_sock_ops_cb_flags_set}, id 59. */
    SOCK_OPS_CB_FLAGS_SET(59),
    /** {@code bpf_msg_redirect_map}, id 60. */
    MSG_REDIRECT_MAP(60),
    /** {@code bpf_msg_apply_bytes}, id 61. */
    MSG_APPLY_BYTES(61),
    /** {@code bpf_msg_cork_bytes}, id 62. */
    MSG_CORK_BYTES(62),
    /** {@code bpf_msg_pull_data}, id 63. */
    MSG_PULL_DATA(63),
    /** {@code bpf_bind}, id 64. */
    BIND(64),
    /** {@code bpf_xdp_adjust_tail}, id 65. */
    XDP_ADJUST_TAIL(65),
    /** {@code bpf_skb_get_xfrm_state}, id 66. */
    SKB_GET_XFRM_STATE(66),
    /** {@code bpf_get_stack}, id 67. */
    GET_STACK(67),
    /** {@code bpf_skb_load_bytes_relative}, id 68. */
    SKB_LOAD_BYTES_RELATIVE(68),
    /** {@code bpf_fib_lookup}, id 69. */
    FIB_LOOKUP(69),
    /** {@code bpf_sock_hash_update}, id 70. */
    SOCK_HASH_UPDATE(70),
    /** {@code bpf_msg_redirect_hash}, id 71. */
    MSG_REDIRECT_HASH(71),
    /** {@code bpf_sk_redirect_hash}, id 72. */
    SK_REDIRECT_HASH(72),
    /** {@code bpf_lwt_push_encap}, id 73. */
    LWT_PUSH_ENCAP(73),
    /** {@code bpf_lwt_seg6_store_bytes}, id 74. */
    LWT_SEG6_STORE_BYTES(74),
    /** {@code bpf_lwt_seg6_adjust_srh}, id 75. */
    LWT_SEG6_ADJUST_SRH(75),
    /** {@code bpf_lwt_seg6_action}, id 76. */
    LWT_SEG6_ACTION(76),
    /** {@code bpf_rc_repeat}, id 77. */
    RC_REPEAT(77),
    /** {@code bpf_rc_keydown}, id 78. */
    RC_KEYDOWN(78),
    /** {@code bpf_skb_cgroup_id}, id 79. */
    SKB_CGROUP_ID(79),
    /** {@code bpf_get_current_cgroup_id}, id 80. */
    GET_CURRENT_CGROUP_ID(80),
    /** {@code bpf_get_local_storage}, id 81. */
    GET_LOCAL_STORAGE(81),
    /** {@code bpf_sk_select_reuseport}, id 82. */
    SK_SELECT_REUSEPORT(82),
    /** {@code bpf_skb_ancestor_cgroup_id}, id 83. */
    SKB_ANCESTOR_CGROUP_ID(83),
    /** {@code bpf_sk_lookup_tcp}, id 84. */
    SK_LOOKUP_TCP(84),
    /** {@code bpf_sk_lookup_udp}, id 85. */
    SK_LOOKUP_UDP(85),
    /** {@code bpf_sk_release}, id 86. */
    SK_RELEASE(86),
    /** {@code bpf_map_push_elem}, id 87. */
    MAP_PUSH_ELEM(87),
    /** {@code bpf_map_pop_elem}, id 88. */
    MAP_POP_ELEM(88),
    /** {@code bpf_map_peek_elem}, id 89. */
    MAP_PEEK_ELEM(89),
    /** {@code bpf_msg_push_data}, id 90. */
    MSG_PUSH_DATA(90),
    /** {@code bpf_msg_pop_data}, id 91. */
    MSG_POP_DATA(91),
    /** {@code bpf_rc_pointer_rel}, id 92. */
    RC_POINTER_REL(92),
    /** {@code bpf_spin_lock}, id 93. */
    SPIN_LOCK(93),
    /** {@code bpf_spin_unlock}, id 94. */
    SPIN_UNLOCK(94),
    /** {@code bpf_sk_fullsock}, id 95. */
    SK_FULLSOCK(95),
    /** {@code bpf_tcp_sock}, id 96. */
    TCP_SOCK(96),
    /** {@code bpf_skb_ecn_set_ce}, id 97. */
    SKB_ECN_SET_CE(97),
    /** {@code bpf_get_listener_sock}, id 98. */
    GET_LISTENER_SOCK(98),
    /** {@code bpf_skc_lookup_tcp}, id 99. */
    SKC_LOOKUP_TCP(99),
    /** {@code bpf_tcp_check_syncookie}, id 100. */
    TCP_CHECK_SYNCOOKIE(100),
    /** {@code bpf_sysctl_get_name}, id 101. */
    SYSCTL_GET_NAME(101),
    /** {@code bpf_sysctl_get_current_value}, id 102. */
    SYSCTL_GET_CURRENT_VALUE(102),
    /** {@code bpf_sysctl_get_new_value}, id 103. */
    SYSCTL_GET_NEW_VALUE(103),
    /** {@code bpf_sysctl_set_new_value}, id 104. */
    SYSCTL_SET_NEW_VALUE(104),
    /** {@code bpf_strtol}, id 105. */
    STRTOL(105),
    /** {@code bpf_strtoul}, id 106. */
    STRTOUL(106),
    /** {@code bpf_sk_storage_get}, id 107. */
    SK_STORAGE_GET(107),
    /** {@code bpf_sk_storage_delete}, id 108. */
    SK_STORAGE_DELETE(108),
    /** {@code bpf_send_signal}, id 109. */
    SEND_SIGNAL(109),
    /** {@code bpf_tcp_gen_syncookie}, id 110. */
    TCP_GEN_SYNCOOKIE(110),
    /** {@code bpf_skb_output}, id 111. */
    SKB_OUTPUT(111),
    /** {@code bpf_probe_read_user}, id 112. */
    PROBE_READ_USER(112),
    /** {@code bpf_probe_read_kernel}, id 113. */
    PROBE_READ_KERNEL(113),
    /** {@code bpf_probe_read_user_str}, id 114. */
    PROBE_READ_USER_STR(114),
    /** {@code bpf_probe_read_kernel_str}, id 115. */
    PROBE_READ_KERNEL_STR(115),
    /** {@code bpf_tcp_send_ack}, id 116. */
    TCP_SEND_ACK(116),
    /** {@code bpf_send_signal_thread}, id 117. */
    SEND_SIGNAL_THREAD(117),
    /** {@code bpf_jiffies64}, id 118. */
    JIFFIES64(118),
    /** {@code bpf_read_branch_records}, id 119. */
    READ_BRANCH_RECORDS(119),
    /** {@code bpf_get_ns_current_pid_tgid}, id 120. */
    GET_NS_CURRENT_PID_TGID(120),
    /** {@code bpf_xdp_output}, id 121. */
    XDP_OUTPUT(121),
    /** {@code bpf_get_netns_cookie}, id 122. */
    GET_NETNS_COOKIE(122),
    /** {@code bpf_get_current_ancestor_cgroup_id}, id 123. */
    GET_CURRENT_ANCESTOR_CGROUP_ID(123),
    /** {@code bpf_sk_assign}, id 124. */
    SK_ASSIGN(124),
    /** {@code bpf_ktime_get_boot_ns}, id 125. */
    KTIME_GET_BOOT_NS(125),
    /** {@code bpf_seq_printf}, id 126. */
    SEQ_PRINTF(126),
    /** {@code bpf_seq_write}, id 127. */
    SEQ_WRITE(127),
    /** {@code bpf_sk_cgroup_id}, id 128. */
    SK_CGROUP_ID(128),
    /** {@code bpf_sk_ancestor_cgroup_id}, id 129. */
    SK_ANCESTOR_CGROUP_ID(129),
    /** {@code bpf_ringbuf_output}, id 130. */
    RINGBUF_OUTPUT(130),
    /** {@code bpf_ringbuf_reserve}, id 131. */
    RINGBUF_RESERVE(131),
    /** {@code bpf_ringbuf_submit}, id 132. */
    RINGBUF_SUBMIT(132),
    /** {@code bpf_ringbuf_discard}, id 133. */
    RINGBUF_DISCARD(133),
    /** {@code bpf_ringbuf_query}, id 134. */
    RINGBUF_QUERY(134),
    /** {@code bpf_csum_level}, id 135. */
    CSUM_LEVEL(135),
    /** {@code bpf_skc_to_tcp6_sock}, id 136. */
    SKC_TO_TCP6_SOCK(136),
    /** {@code bpf_skc_to_tcp_sock}, id 137. */
    SKC_TO_TCP_SOCK(137),
    /** {@code bpf_skc_to_tcp_timewait_sock}, id 138. */
    SKC_TO_TCP_TIMEWAIT_SOCK(138),
    /** {@code bpf_skc_to_tcp_request_sock}, id 139. */
    SKC_TO_TCP_REQUEST_SOCK(139),
    /** {@code bpf_skc_to_udp6_sock}, id 140. */
    SKC_TO_UDP6_SOCK(140),
    /** {@code bpf_get_task_stack}, id 141. */
    GET_TASK_STACK(141),
    /** {@code bpf_load_hdr_opt}, id 142. */
    LOAD_HDR_OPT(142),
    /** {@code bpf_store_hdr_opt}, id 143. */
    STORE_HDR_OPT(143),
    /** {@code bpf_reserve_hdr_opt}, id 144. */
    RESERVE_HDR_OPT(144),
    /** {@code bpf_inode_storage_get}, id 145. */
    INODE_STORAGE_GET(145),
    /** {@code bpf_inode_storage_delete}, id 146. */
    INODE_STORAGE_DELETE(146),
    /** {@code bpf_d_path}, id 147. */
    D_PATH(147),
    /** {@code bpf_copy_from_user}, id 148. */
    COPY_FROM_USER(148),
    /** {@code bpf_snprintf_btf}, id 149. */
    SNPRINTF_BTF(149),
    /** {@code bpf_seq_printf_btf}, id 150. */
    SEQ_PRINTF_BTF(150),
    /** {@code bpf_skb_cgroup_classid}, id 151. */
    SKB_CGROUP_CLASSID(151),
    /** {@code bpf_redirect_neigh}, id 152. */
    REDIRECT_NEIGH(152),
    /** {@code bpf_per_cpu_ptr}, id 153. */
    PER_CPU_PTR(153),
    /** {@code bpf_this_cpu_ptr}, id 154. */
    THIS_CPU_PTR(154),
    /** {@code bpf_redirect_peer}, id 155. */
    REDIRECT_PEER(155),
    /** {@code bpf_task_storage_get}, id 156. */
    TASK_STORAGE_GET(156),
    /** {@code bpf_task_storage_delete}, id 157. */
    TASK_STORAGE_DELETE(157),
    /** {@code bpf_get_current_task_btf}, id 158. */
    GET_CURRENT_TASK_BTF(158),
    /** {@code bpf_bprm_opts_set}, id 159. */
    BPRM_OPTS_SET(159),
    /** {@code bpf_ktime_get_coarse_ns}, id 160. */
    KTIME_GET_COARSE_NS(160),
    /** {@code bpf_ima_inode_hash}, id 161. */
    IMA_INODE_HASH(161),
    /** {@code bpf_sock_from_file}, id 162. */
    SOCK_FROM_FILE(162),
    /** {@code bpf_check_mtu}, id 163. */
    CHECK_MTU(163),
    /** {@code bpf_for_each_map_elem}, id 164. */
    FOR_EACH_MAP_ELEM(164),
    /** {@code bpf_snprintf}, id 165. */
    SNPRINTF(165),
    /** {@code bpf_sys_bpf}, id 166. */
    SYS_BPF(166),
    /** {@code bpf_btf_find_by_name_kind}, id 167. */
    BTF_FIND_BY_NAME_KIND(167),
    /** {@code bpf_sys_close}, id 168. */
    SYS_CLOSE(168),
    /** {@code bpf_timer_init}, id 169. */
    TIMER_INIT(169),
    /** {@code bpf_timer_set_callback}, id 170. */
    TIMER_SET_CALLBACK(170),
    /** {@code bpf_timer_start}, id 171. */
    TIMER_START(171),
    /** {@code bpf_timer_cancel}, id 172. */
    TIMER_CANCEL(172),
    /** {@code bpf_get_func_ip}, id 173. */
    GET_FUNC_IP(173),
    /** {@code bpf_get_attach_cookie}, id 174. */
    GET_ATTACH_COOKIE(174),
    /** {@code bpf_task_pt_regs}, id 175. */
    TASK_PT_REGS(175),
    /** {@code bpf_get_branch_snapshot}, id 176. */
    GET_BRANCH_SNAPSHOT(176),
    /** {@code bpf_trace_vprintk}, id 177. */
    TRACE_VPRINTK(177),
    /** {@code bpf_skc_to_unix_sock}, id 178. */
    SKC_TO_UNIX_SOCK(178),
    /** {@code bpf_kallsyms_lookup_name}, id 179. */
    KALLSYMS_LOOKUP_NAME(179),
    /** {@code bpf_find_vma}, id 180. */
    FIND_VMA(180),
    /** {@code bpf_loop}, id 181. */
    LOOP(181),
    /** {@code bpf_strncmp}, id 182. */
    STRNCMP(182),
    /** {@code bpf_get_func_arg}, id 183. */
    GET_FUNC_ARG(183),
    /** {@code bpf_get_func_ret}, id 184. */
    GET_FUNC_RET(184),
    /** {@code bpf_get_func_arg_cnt}, id 185. */
    GET_FUNC_ARG_CNT(185),
    /** {@code bpf_get_retval}, id 186. */
    GET_RETVAL(186),
    /** {@code bpf_set_retval}, id 187. */
    SET_RETVAL(187),
    /** {@code bpf_xdp_get_buff_len}, id 188. */
    XDP_GET_BUFF_LEN(188),
    /** {@code bpf_xdp_load_bytes}, id 189. */
    XDP_LOAD_BYTES(189),
    /** {@code bpf_xdp_store_bytes}, id 190. */
    XDP_STORE_BYTES(190),
    /** {@code bpf_copy_from_user_task}, id 191. */
    COPY_FROM_USER_TASK(191),
    /** {@code bpf_skb_set_tstamp}, id 192. */
    SKB_SET_TSTAMP(192),
    /** {@code bpf_ima_file_hash}, id 193. */
    IMA_FILE_HASH(193),
    /** {@code bpf_kptr_xchg}, id 194. */
    KPTR_XCHG(194),
    /** {@code bpf_map_lookup_percpu_elem}, id 195. */
    MAP_LOOKUP_PERCPU_ELEM(195),
    /** {@code bpf_skc_to_mptcp_sock}, id 196. */
    SKC_TO_MPTCP_SOCK(196),
    /** {@code bpf_dynptr_from_mem}, id 197. */
    DYNPTR_FROM_MEM(197),
    /** {@code bpf_ringbuf_reserve_dynptr}, id 198. */
    RINGBUF_RESERVE_DYNPTR(198),
    /** {@code bpf_ringbuf_submit_dynptr}, id 199. */
    RINGBUF_SUBMIT_DYNPTR(199),
    /** {@code bpf_ringbuf_discard_dynptr}, id 200. */
    RINGBUF_DISCARD_DYNPTR(200),
    /** {@code bpf_dynptr_read}, id 201. */
    DYNPTR_READ(201),
    /** {@code bpf_dynptr_write}, id 202. */
    DYNPTR_WRITE(202),
    /** {@code bpf_dynptr_data}, id 203. */
    DYNPTR_DATA(203),
    /** {@code bpf_tcp_raw_gen_syncookie_ipv4}, id 204. */
    TCP_RAW_GEN_SYNCOOKIE_IPV4(204),
    /** {@code bpf_tcp_raw_gen_syncookie_ipv6}, id 205. */
    TCP_RAW_GEN_SYNCOOKIE_IPV6(205),
    /** {@code bpf_tcp_raw_check_syncookie_ipv4}, id 206. */
    TCP_RAW_CHECK_SYNCOOKIE_IPV4(206),
    /** {@code bpf_tcp_raw_check_syncookie_ipv6}, id 207. */
    TCP_RAW_CHECK_SYNCOOKIE_IPV6(207),
    /** {@code bpf_ktime_get_tai_ns}, id 208. */
    KTIME_GET_TAI_NS(208),
    /** {@code bpf_user_ringbuf_drain}, id 209. */
    USER_RINGBUF_DRAIN(209),
    /** {@code bpf_cgrp_storage_get}, id 210. */
    CGRP_STORAGE_GET(210),
    /** {@code bpf_cgrp_storage_delete}, id 211. */
    CGRP_STORAGE_DELETE(211);

    private static final Helper[] BY_ID = new Helper[212]; // ids are contiguous from 1

    static {
        for (Helper h : values()) {
            BY_ID[h.id] = h;
        }
    }

    private final int id;

    Helper(int id) {
        this.id = id;
    }

    /**
     * The helper's id, the {@code imm} of its {@code call} instruction.
     *
     * @return the id, 1 or more
     */
    public int id() {
        return id;
    }

    /**
     * The helper's C name, e.g. {@code bpf_map_lookup_elem}.
     *
     * @return the name the kernel's verifier log uses
     */
    public String cName() {
        return "bpf_" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The largest helper id this enum knows.
     *
     * @return the last id of {@code ___BPF_FUNC_MAPPER} this library was built against
     */
    public static int maxId() {
        return BY_ID.length - 1;
    }

    /**
     * The helper with the given id.
     *
     * @param id a helper id
     * @return the helper, or {@code null} when {@code id} is not a known helper
     */
    public static Helper byId(int id) {
        return id > 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
