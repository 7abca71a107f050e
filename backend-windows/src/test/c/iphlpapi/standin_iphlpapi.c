/*
 * A stand-in for the three functions of iphlpapi.dll that bpf4j's eBPF for Windows backend calls
 * to turn an interface name into its index, with Windows' signatures (netioapi.h, Windows SDK
 * 10.0.22621) over a fixed table, so the backend's binding and its error handling run on Linux:
 *
 *   NETIO_STATUS ConvertInterfaceAliasToLuid(const WCHAR *InterfaceAlias, PNET_LUID InterfaceLuid);
 *   NETIO_STATUS ConvertInterfaceNameToLuidA(const CHAR *InterfaceName, NET_LUID *InterfaceLuid);
 *   NETIO_STATUS ConvertInterfaceLuidToIndex(const NET_LUID *InterfaceLuid, PNET_IFINDEX InterfaceIndex);
 *
 * WCHAR is a UTF-16LE code unit (uint16_t here; Linux's wchar_t is 32 bits), NET_LUID a 64-bit
 * union (ifdef.h: Reserved:24, NetLuidIndex:24, IfType:16 from the low bits up), NET_IFINDEX a
 * ULONG (32 bits on Windows), NETIO_STATUS a Win32 error code.
 *
 * It is built into its own library (not into the ebpfapi stand-in, which is why it lives in its
 * own folder) by the tests, with gcc -shared -fPIC -fvisibility=hidden.
 */
#include <stdint.h>
#include <string.h>
#include <uchar.h>

#define EXPORT __attribute__((visibility("default")))

/* winerror.h */
#define NO_ERROR 0u
#define ERROR_FILE_NOT_FOUND 2u
#define ERROR_NOT_ENOUGH_MEMORY 8u
#define ERROR_INVALID_PARAMETER 87u
#define ERROR_INVALID_NAME 123u

/* ipifcons.h */
#define IF_TYPE_ETHERNET_CSMACD 6
#define IF_TYPE_SOFTWARE_LOOPBACK 24
#define IF_TYPE_IEEE80211 71

#define LUID(type, n) (((uint64_t)(type) << 48) | ((uint64_t)(n) << 24))

struct iface {
    const char16_t *alias;
    uint64_t luid;
    uint32_t index;
};

static const struct iface TABLE[] = {
    /* What a Windows 11 host typically has; "loopback_0" and "ethernet_32768" are the NDIS names. */
    {u"Loopback Pseudo-Interface 1", LUID(IF_TYPE_SOFTWARE_LOOPBACK, 0), 1},
    {u"Ethernet", LUID(IF_TYPE_ETHERNET_CSMACD, 32768), 7},
    {u"Wi-Fi", LUID(IF_TYPE_IEEE80211, 32768), 12},
    {u"vEthernet (WSL)", LUID(IF_TYPE_ETHERNET_CSMACD, 32769), 45},
    /* A localized alias, so the UTF-16 encoding of non-ASCII names is checked. */
    {u"Connexion au r\u00e9seau local", LUID(IF_TYPE_ETHERNET_CSMACD, 32770), 9},
    /*
     * Not a Windows alias. The shared behaviour suites ask every backend for the loopback device by
     * Linux's name and expect index 1, and this stand-in's bpf() runs on the Linux kernel, whose
     * loopback is "lo" at index 1 (XDP links the suites make on the stand-in land there), so it
     * answers that name with the loopback interface: a second alias of its LUID, so the index
     * comes from the loopback's row.
     */
    {u"lo", LUID(IF_TYPE_SOFTWARE_LOOPBACK, 0), 1},
};
#define N (sizeof TABLE / sizeof TABLE[0])

/* Answers ERROR_NOT_ENOUGH_MEMORY, so a failure that is no missing interface can be tested. */
static const char16_t FAILING[] = u"standin-out-of-memory";

static int calls;

/* How many calls reached the stand-in, so tests can check that bad input never does. */
EXPORT int standin_iphlpapi_calls(void)
{
    return __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
}

static int wide_equal(const uint16_t *a, const char16_t *b)
{
    for (; *a && *a == *b; a++, b++) {
    }
    return *a == *b;
}

EXPORT uint32_t ConvertInterfaceAliasToLuid(const uint16_t *alias, uint64_t *luid)
{
    __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
    if (!alias || !luid) return ERROR_INVALID_PARAMETER;
    if (wide_equal(alias, FAILING)) return ERROR_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < N; i++) {
        if (wide_equal(alias, TABLE[i].alias)) {
            *luid = TABLE[i].luid;
            return NO_ERROR;
        }
    }
    /* Windows documents ERROR_INVALID_PARAMETER for an alias no interface has. */
    return ERROR_INVALID_PARAMETER;
}

#ifndef STANDIN_NO_NAME_TO_LUID
static const struct {
    const char *prefix;
    int type;
} TYPES[] = {
    {"loopback_", IF_TYPE_SOFTWARE_LOOPBACK},
    {"ethernet_", IF_TYPE_ETHERNET_CSMACD},
    {"wireless_", IF_TYPE_IEEE80211},
};
#endif

/*
 * An NDIS name is the interface type's name and the LUID's NetLuidIndex; it is parsed, not looked
 * up, so a well-formed name of no interface gives a LUID that ConvertInterfaceLuidToIndex refuses.
 */
#ifndef STANDIN_NO_NAME_TO_LUID   /* defined for the variant that lacks an export */
EXPORT uint32_t ConvertInterfaceNameToLuidA(const char *name, uint64_t *luid)
{
    __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
    if (!name || !luid) return ERROR_INVALID_PARAMETER;
    for (size_t t = 0; t < sizeof TYPES / sizeof TYPES[0]; t++) {
        size_t len = strlen(TYPES[t].prefix);
        if (strncmp(name, TYPES[t].prefix, len) != 0) continue;
        const char *p = name + len;
        uint64_t n = 0;
        if (!*p) return ERROR_INVALID_NAME;
        for (; *p; p++) {
            if (*p < '0' || *p > '9' || n > 0xffffff) return ERROR_INVALID_NAME;
            n = n * 10 + (uint64_t)(*p - '0');
        }
        if (n > 0xffffff) return ERROR_INVALID_NAME;
        *luid = LUID(TYPES[t].type, n);
        return NO_ERROR;
    }
    return ERROR_INVALID_NAME;
}
#endif

EXPORT uint32_t ConvertInterfaceLuidToIndex(const uint64_t *luid, uint32_t *index)
{
    __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
    if (!luid || !index) return ERROR_INVALID_PARAMETER;
    for (size_t i = 0; i < N; i++) {
        if (TABLE[i].luid == *luid) {
            *index = TABLE[i].index;
            return NO_ERROR;
        }
    }
    return ERROR_FILE_NOT_FOUND;
}
