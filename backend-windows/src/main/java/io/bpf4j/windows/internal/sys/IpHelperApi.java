package io.bpf4j.windows.internal.sys;

/**
 * The three IP helper functions ({@code iphlpapi.dll}) that turn an interface's name into its
 * index, declared in {@code netioapi.h} (Windows SDK 10.0.22621; Vista and later):
 * <pre>
 * NETIO_STATUS ConvertInterfaceAliasToLuid(const WCHAR *InterfaceAlias, PNET_LUID InterfaceLuid);
 * NETIO_STATUS ConvertInterfaceNameToLuidA(const CHAR *InterfaceName, NET_LUID *InterfaceLuid);
 * NETIO_STATUS ConvertInterfaceLuidToIndex(const NET_LUID *InterfaceLuid, PNET_IFINDEX InterfaceIndex);
 * </pre>
 * {@code NETIO_STATUS} is a Win32 error code ({@code DWORD}, {@code NO_ERROR} 0); {@code WCHAR} is
 * a UTF-16LE code unit; {@code NET_LUID} is a 64-bit union ({@code ifdef.h}: {@code Value}, or
 * {@code Reserved:24, NetLuidIndex:24, IfType:16}); {@code NET_IFINDEX} is a {@code ULONG}.
 * Implementations own the strings' and out-parameters' memory for the length of one call.
 */
public interface IpHelperApi {
    /** The exports this binding needs, as the library names them. */
    String[] EXPORTS = {"ConvertInterfaceAliasToLuid", "ConvertInterfaceNameToLuidA", "ConvertInterfaceLuidToIndex"};

    /**
     * {@code ConvertInterfaceAliasToLuid}.
     *
     * @param alias the alias, passed as NUL-terminated UTF-16LE
     * @param luid receives the LUID in {@code luid[0]} on success
     * @return the Win32 error, 0 on success
     */
    int convertInterfaceAliasToLuid(String alias, long[] luid);

    /**
     * {@code ConvertInterfaceNameToLuidA}.
     *
     * @param name the NDIS name, ASCII without a NUL (one is appended)
     * @param luid receives the LUID in {@code luid[0]} on success
     * @return the Win32 error, 0 on success
     */
    int convertInterfaceNameToLuidA(byte[] name, long[] luid);

    /**
     * {@code ConvertInterfaceLuidToIndex}.
     *
     * @param luid the LUID
     * @param index receives the index in {@code index[0]} on success
     * @return the Win32 error, 0 on success
     */
    int convertInterfaceLuidToIndex(long luid, int[] index);
}
