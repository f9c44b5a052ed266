/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * map646: a stateless one-to-one IPv4/IPv6 translator netdevice.
 *
 * Documentation
 * =============
 *
 * A map646 device is created with `ip link add NAME type map646`. Each
 * device owns a mapping table (one IPv4 address <-> one IPv6 address) and a
 * translation prefix (RFC 6052). IPv4 packets routed to the device towards a
 * mapped IPv4 address leave as IPv6 packets towards the mapped IPv6 address,
 * with the IPv4 source embedded in the prefix; IPv6 packets from a mapped
 * IPv6 address towards the prefix leave as IPv4 packets, and are handed back
 * to the stack as received on the device.
 *
 * The device is configured through the generic netlink family
 * MAP646_GENL_NAME, version MAP646_GENL_VERSION. Every request names its
 * device with MAP646_A_IFINDEX or MAP646_A_IFNAME, resolved in the caller's
 * network namespace; when both are given they must name the same device.
 * Requests that change anything need CAP_NET_ADMIN in the user namespace
 * owning that network namespace; reads are open to everyone.
 *
 * Every refusal comes back as a negative errno in the netlink ack together
 * with an extended-ack message naming the offending attribute (where there
 * is one). A refused request changes nothing.
 *
 * Addresses travel in network byte order, as raw bytes.
 *
 * MAP646_CMD_MAP_ADD
 * ------------------
 *   MAP646_A_IFINDEX: NLA_U32 or MAP646_A_IFNAME: NLA_NUL_STRING, < IFNAMSIZ
 *   MAP646_A_MAP_IPV4: 4 bytes, required
 *   MAP646_A_MAP_IPV6: 16 bytes, required
 *
 *   Adds one mapping. Errors: EEXIST if either address is already in a
 *   mapping, EINVAL for an address that can never be translated (IPv4:
 *   0.0.0.0/8, 127/8, multicast, 255.255.255.255; IPv6: unspecified,
 *   loopback, multicast, IPv4-mapped), ENOSPC past MAP646_MAX_MAPPINGS.
 *
 * MAP646_CMD_MAP_DEL
 * ------------------
 *   device, and exactly one of MAP646_A_MAP_IPV4 / MAP646_A_MAP_IPV6
 *
 *   Deletes the mapping holding that address. ENOENT if there is none.
 *
 * MAP646_CMD_MAP_GET (dump, NLM_F_DUMP)
 * -------------------------------------
 *   device
 *
 *   One reply message per mapping, each carrying MAP646_A_IFINDEX,
 *   MAP646_A_MAP_IPV4 and MAP646_A_MAP_IPV6. Large tables span several
 *   netlink reads. If the table changes while a dump is in progress, the
 *   dump stops early and its messages carry NLM_F_DUMP_INTR: start over.
 *
 * MAP646_CMD_MAP_FLUSH
 * --------------------
 *   device
 *
 *   Removes every mapping at once (the table is swapped for an empty one).
 *
 * MAP646_CMD_CONFIG_SET
 * ---------------------
 *   device
 *   MAP646_A_PREFIX: 16 bytes, and MAP646_A_PREFIX_LEN: NLA_U8, together
 *
 *   Sets the translation prefix. The length is one of 32, 40, 48, 56, 64, 96
 *   (RFC 6052 section 2.2); bits past the length and bits 64-71 must be zero.
 *   Length 0 with the all-zero prefix removes the prefix: the device then
 *   translates nothing. Unknown or missing settings are left as they are.
 *
 * MAP646_CMD_CONFIG_GET
 * ---------------------
 *   device
 *
 *   Replies with MAP646_A_IFINDEX, MAP646_A_IFNAME, MAP646_A_MAP_COUNT and,
 *   when a prefix is set, MAP646_A_PREFIX and MAP646_A_PREFIX_LEN.
 *
 * MAP646_CMD_STATS_GET
 * --------------------
 *   device
 *
 *   Replies with MAP646_A_IFINDEX and MAP646_A_STATS, a nest of NLA_U64
 *   counters, attribute type = enum map646_stat. Counters never go
 *   backwards; attributes unknown to the reader are to be skipped.
 */

#ifndef _UAPI_LINUX_MAP646_H
#define _UAPI_LINUX_MAP646_H

#define MAP646_GENL_NAME "map646"
#define MAP646_GENL_VERSION 1

/* Upper bound on mappings per device: keeps a runaway script from eating
 * all kernel memory. A mapping costs about 100 bytes.
 */
#define MAP646_MAX_MAPPINGS 16777216

enum map646_cmd {
	MAP646_CMD_UNSPEC,
	MAP646_CMD_MAP_ADD,
	MAP646_CMD_MAP_DEL,
	MAP646_CMD_MAP_GET,
	MAP646_CMD_MAP_FLUSH,
	MAP646_CMD_CONFIG_SET,
	MAP646_CMD_CONFIG_GET,
	MAP646_CMD_STATS_GET,
	__MAP646_CMD_MAX
};

#define MAP646_CMD_MAX (__MAP646_CMD_MAX - 1)

enum map646_attr {
	MAP646_A_UNSPEC,
	MAP646_A_IFINDEX,	/* u32 */
	MAP646_A_IFNAME,	/* string */
	MAP646_A_MAP_IPV4,	/* 4 bytes, network order */
	MAP646_A_MAP_IPV6,	/* 16 bytes, network order */
	MAP646_A_PREFIX,	/* 16 bytes, network order */
	MAP646_A_PREFIX_LEN,	/* u8 */
	MAP646_A_MAP_COUNT,	/* u32, read only */
	MAP646_A_STATS,		/* nest of enum map646_stat, read only */
	MAP646_A_PAD,
	__MAP646_A_LAST
};

#define MAP646_A_MAX (__MAP646_A_LAST - 1)

/**
 * enum map646_stat - counters in MAP646_A_STATS (each NLA_U64)
 * @MAP646_STAT_UNSPEC: unused
 * @MAP646_STAT_XLAT_4TO6: IPv4 packets translated to IPv6
 * @MAP646_STAT_XLAT_6TO4: IPv6 packets translated to IPv4
 * @MAP646_STAT_DROP_NO_PREFIX: dropped, the device has no prefix
 * @MAP646_STAT_DROP_NO_MAPPING_V4: IPv4 destination not in the table
 * @MAP646_STAT_DROP_NO_MAPPING_V6: IPv6 source not in the table
 * @MAP646_STAT_DROP_NOT_IN_PREFIX: IPv6 destination outside the prefix
 * @MAP646_STAT_DROP_MALFORMED: truncated or inconsistent headers
 * @MAP646_STAT_DROP_FRAGMENT: IPv4 or IPv6 fragments (not yet translated)
 * @MAP646_STAT_DROP_EXTHDR: IPv6 extension headers (not yet translated)
 * @MAP646_STAT_DROP_ICMP: ICMP messages other than echo request/reply
 * @MAP646_STAT_DROP_UDP_ZERO_CSUM: IPv4 UDP without checksum
 * @MAP646_STAT_DROP_PROTOCOL: neither IPv4 nor IPv6
 * @MAP646_STAT_DROP_NOMEM: no memory to make room for the new header
 * @MAP646_STAT_DROP_RX: the stack refused the translated packet
 * @MAP646_STAT_PAD: attribute padding, not a counter
 * @__MAP646_STAT_LAST: number of counters + 1
 */
enum map646_stat {
	MAP646_STAT_UNSPEC,
	MAP646_STAT_XLAT_4TO6,
	MAP646_STAT_XLAT_6TO4,
	MAP646_STAT_DROP_NO_PREFIX,
	MAP646_STAT_DROP_NO_MAPPING_V4,
	MAP646_STAT_DROP_NO_MAPPING_V6,
	MAP646_STAT_DROP_NOT_IN_PREFIX,
	MAP646_STAT_DROP_MALFORMED,
	MAP646_STAT_DROP_FRAGMENT,
	MAP646_STAT_DROP_EXTHDR,
	MAP646_STAT_DROP_ICMP,
	MAP646_STAT_DROP_UDP_ZERO_CSUM,
	MAP646_STAT_DROP_PROTOCOL,
	MAP646_STAT_DROP_NOMEM,
	MAP646_STAT_DROP_RX,
	MAP646_STAT_PAD,
	__MAP646_STAT_LAST
};

#define MAP646_STAT_MAX (__MAP646_STAT_LAST - 1)

#endif /* _UAPI_LINUX_MAP646_H */
