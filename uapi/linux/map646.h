/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * map646: a stateless one-to-one IPv4/IPv6 translator netdevice.
 *
 * Documentation
 * =============
 *
 * A map646 device is created with `ip link add NAME type map646`. Each
 * device owns a mapping table (one IPv4 address <-> one IPv6 address) and a
 * translation prefix (RFC 6052). IPv4 packets towards a mapped IPv4 address
 * leave as IPv6 packets towards the mapped IPv6 address, with the IPv4
 * source embedded in the prefix; IPv6 packets from a mapped IPv6 address
 * towards the prefix leave as IPv4 packets. Where the device catches them
 * is its path setting (MAP646_A_PATH): before the stack routes them
 * (prerouting, the default), or when the stack routes them to the device
 * (device).
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
 *   MAP646_A_IFINDEX: NLA_U32, not 0, or MAP646_A_IFNAME: NLA_NUL_STRING,
 *   < IFNAMSIZ
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
 *   MAP646_A_MAP_IPV4, MAP646_A_MAP_IPV6 and MAP646_A_MAP_STATS. Large tables span several
 *   netlink reads. If the table changes while a dump is in progress, the
 *   dump stops early and its messages carry NLM_F_DUMP_INTR: start over.
 *   A request the policy refuses gets an NLMSG_ERROR ack; a device that
 *   cannot be found (or goes away meanwhile) ends the dump with an
 *   NLMSG_DONE carrying the errno and the extended-ack message.
 *
 * MAP646_CMD_MAP_GET (without NLM_F_DUMP)
 * ---------------------------------------
 *   device, and exactly one of MAP646_A_MAP_IPV4 / MAP646_A_MAP_IPV6
 *
 *   One reply, as one message of the dump, for the mapping holding that
 *   address: a hash lookup, whatever the size of the table. ENOENT if
 *   there is none.
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
 *   MAP646_A_LOWEST_MTU: NLA_U16, 1280..65535, optional
 *   MAP646_A_UDP_ZERO_CSUM: NLA_U8, 0 or 1, optional
 *   MAP646_A_TOS_COPY: NLA_U8, 0 or 1, optional
 *   MAP646_A_ICMP_REPLY: NLA_U8, 0 or 1, optional
 *   MAP646_A_PATH: NLA_U8, enum map646_path, optional
 *   MAP646_A_POOL4: 4 bytes, and MAP646_A_POOL4_LEN: NLA_U8 0..32, together
 *   MAP646_A_POOL6: 16 bytes, and MAP646_A_POOL6_LEN: NLA_U8 0..128, together
 *
 *   Changes the settings given; the others keep their values. All are
 *   checked before any is applied.
 *   - Prefix: the length is one of 32, 40, 48, 56, 64, 96 (RFC 6052 section
 *     2.2); bits past the length and bits 64-71 must be zero. Length 0 with
 *     the all-zero prefix removes the prefix: the device then translates
 *     nothing. Default: none.
 *   - Lowest IPv6 MTU: IPv4 packets without DF whose translation is larger
 *     are fragmented to this size (RFC 7915 section 4). Default 1280.
 *   - UDP zero checksum: 1 computes a checksum for unfragmented IPv4 UDP
 *     datagrams without one, 0 drops them (RFC 7915 section 4.5).
 *     Fragmented ones are always dropped. Default 0.
 *   - TOS copy: 1 copies IPv4 TOS to IPv6 traffic class and back, 0 sets
 *     them to zero (RFC 7915 sections 4.1, 5.1). Default 1.
 *   - ICMP reply: 1 answers packets dropped for a reason RFC 7915 names
 *     with an ICMP error (3/13, 3/5, 1/1, Parameter Problem, Fragmentation
 *     Needed, Packet Too Big), rate-limited; never about an ICMP error.
 *     Default 1.
 *   - Path: where packets are translated, enum map646_path. Default
 *     MAP646_PATH_PREROUTING.
 *   - MAP646_A_FAST_PATH is retired and refused (EINVAL): its 0 is
 *     MAP646_PATH_DEVICE, and its 1 has no exact successor (see
 *     enum map646_path).
 *   - RFC 6791 pool: IPv4 sources for ICMPv6 errors whose source is not
 *     mapped (a router inside the IPv6 network); one address per source,
 *     chosen by hash. Length 0 removes the pool: such errors then come
 *     from the RFC 7600 dummy address 192.0.0.8 (as Linux sends its own
 *     without an IPv4 address), so traceroute shows the hop. Default:
 *     none.
 *   - RFC 6791 IPv6 pool: on a device without a prefix (translating between
 *     prefix mappings only, RFC 7757), IPv6 sources for ICMPv4 errors whose
 *     source no mapping holds; one address per source, chosen by hash.
 *     Length 0 removes the pool: such errors then come from the address
 *     the host would send from to their destination. Default: none.
 *
 * MAP646_CMD_CONFIG_GET
 * ---------------------
 *   device
 *
 *   Replies with MAP646_A_IFINDEX, MAP646_A_IFNAME, MAP646_A_MAP_COUNT, every
 *   setting of MAP646_CMD_CONFIG_SET, and, when set, MAP646_A_PREFIX +
 *   MAP646_A_PREFIX_LEN, MAP646_A_POOL4 + MAP646_A_POOL4_LEN and
 *   MAP646_A_POOL6 + MAP646_A_POOL6_LEN.
 *
 * MAP646_CMD_STATS_GET
 * --------------------
 *   device
 *
 *   Replies with MAP646_A_IFINDEX and MAP646_A_STATS, a nest of NLA_U64
 *   counters, attribute type = enum map646_stat. Counters never go
 *   backwards except through MAP646_CMD_STATS_RESET. MAP646_A_STATS_NAMES
 *   names them: a nest of NLA_NUL_STRING, attribute type = enum
 *   map646_stat, e.g. "xlat_4to6", "drop_no_mapping_v4" (lower case, the
 *   enum's name without MAP646_STAT_): a reader prints a counter it does
 *   not know under that name.
 *
 * Batches of mappings
 * -------------------
 *   MAP646_A_MAPS: NLA_NESTED, a list of MAP646_A_MAP nests, each with
 *     MAP646_A_MAP_IPV4 and/or MAP646_A_MAP_IPV6 as in the single forms
 *
 *   MAP646_CMD_MAP_ADD and MAP646_CMD_MAP_DEL accept MAP646_A_MAPS instead
 *   of the single addresses: every entry is checked before anything is
 *   changed, and a refused batch leaves the table as it was. The extended
 *   ack names the offending MAP646_A_MAP nest (or an attribute in it).
 *   Netlink attribute lengths are 16 bits: a MAP646_A_MAPS nest holds at
 *   most about 2000 mappings (32 bytes each). Readers see the entries of a
 *   batch appear (or go) one after the other; for an atomic change of
 *   many, use a table replace.
 *
 * Per-mapping counters
 * --------------------
 *   Each message of the MAP646_CMD_MAP_GET dump also carries
 *   MAP646_A_MAP_STATS, a nest of NLA_U64 counters, attribute type = enum
 *   map646_map_stat: packets and bytes (as they reached the device, before
 *   translation) in each direction, and the milliseconds since the last
 *   packet (absent while the mapping has translated nothing). Counters are
 *   kept per CPU; a mapping keeps them across a table replace that keeps it
 *   with the same addresses.
 *
 * MAP646_CMD_STATS_RESET
 * ----------------------
 *   device
 *
 *   Sets the device counters of MAP646_CMD_STATS_GET and the counters of
 *   every mapping back to zero (the interface counters of `ip -s link` are
 *   not touched).
 *
 * Table replace: MAP646_CMD_REPLACE_BEGIN, _ADD, _COMMIT, _ABORT
 * ---------------------------------------------------------------
 *   Replaces the whole mapping table at once. The new table is built off
 *   to the side, owned by the netlink socket that sent BEGIN (its port id,
 *   in its network namespace), and swapped in by COMMIT: a packet sees
 *   either the old table or the new one, never a mix and never an empty
 *   table, so traffic to a mapping present in both never misses it.
 *
 *   MAP646_CMD_REPLACE_BEGIN: device, optional MAP646_A_MAP_COUNT (u32,
 *     the expected number of mappings: sizes the hash tables up front,
 *     for at most 1048576; they grow past that as usual), optional
 *     MAP646_A_REPLACE_CONFIG (NLA_FLAG) with the settings of
 *     MAP646_CMD_CONFIG_SET.
 *     Starts a staged table for this socket and device; a socket stages
 *     one table at a time, a second BEGIN discards the first. With
 *     MAP646_A_REPLACE_CONFIG the settings are staged too: those BEGIN
 *     names, checked as CONFIG_SET checks them, and the defaults for all
 *     the others (the request is the whole state, as a config file is).
 *     Without it the device keeps its settings, and a setting in BEGIN is
 *     refused (EINVAL).
 *   MAP646_CMD_REPLACE_ADD: device, MAP646_A_MAPS. Adds a batch to the
 *     staged table, checked as for MAP646_CMD_MAP_ADD; a refused batch
 *     adds nothing (the staged table stays as it was, usable). ENOENT
 *     without a BEGIN from this socket for this device.
 *   MAP646_CMD_REPLACE_COMMIT: device. Swaps the staged table (and staged
 *     settings) in; the old ones are freed after an RCU grace period. A
 *     packet is translated with the old table and old settings or with
 *     the new table and new settings, never a mix: the settings hang off
 *     the table, one pointer swap replaces both. Mappings present in both
 *     tables with the same addresses keep their counters. After a refusal
 *     (ENOMEM) the staged table is kept and the commit may be retried.
 *   MAP646_CMD_REPLACE_ABORT: device. Discards the staged table.
 *
 *   A staged table is freed when its socket closes, so a tool that dies
 *   midway leaves neither the device nor kernel memory changed. All four
 *   need CAP_NET_ADMIN.
 *
 * Prefix mappings (RFC 7757)
 * --------------------------
 *   MAP646_A_MAP_IPV4_LEN: NLA_U8 0..32, MAP646_A_MAP_IPV6_LEN: NLA_U8
 *   0..128, together, beside MAP646_A_MAP_IPV4 and MAP646_A_MAP_IPV6
 *
 *   MAP646_CMD_MAP_ADD, MAP646_CMD_MAP_DEL, every MAP646_A_MAP of a batch
 *   and the MAP646_CMD_MAP_GET dump take the lengths: the mapping is then
 *   a block of IPv4 addresses <-> a block of IPv6 addresses, address N of
 *   one block <-> address N of the other. The IPv6 suffix (128 - length)
 *   is at least the IPv4 suffix (32 - length), and normally equal (RFC 7757
 *   section 3.2): a longer IPv6 suffix holds the IPv4 suffix in its first
 *   bits and zeros after it (IPv6 addresses with other bits set there are
 *   not in the block). Bits past either length must be zero. Lengths 32
 *   and 128 are a single-address mapping. Lookups take the longest match,
 *   single addresses first. Errors: EINVAL for a block holding an address
 *   that cannot be translated (see MAP646_CMD_MAP_ADD), EEXIST when the
 *   same IPv4 or IPv6 block is in another mapping already (a block nested
 *   in another, longer, is more specific: accepted, RFC 7757 section 4).
 *   MAP646_CMD_MAP_DEL with lengths deletes the mapping holding exactly
 *   that block.
 *
 * map66 mappings: MAP646_CMD_MAP66_ADD, _DEL, _GET
 * ------------------------------------------------
 *   MAP646_A_MAP66_GLOBAL, MAP646_A_MAP66_INTERNAL: 16 bytes each
 *
 *   One IPv6 address <-> another IPv6 address (the original map646's
 *   map66-static): an IPv6 packet routed to the device that is not for
 *   the translation prefix gets destination INTERNAL when it was sent to
 *   GLOBAL, and source GLOBAL when it came from INTERNAL (both, between
 *   two such mappings); ICMPv6 errors get the addresses of the packet
 *   they quote rewritten the other way round. Transport checksums are
 *   updated, the hop limit drops by one, nothing else changes.
 *
 *   MAP646_CMD_MAP66_ADD: device, both addresses, or MAP646_A_MAPS with
 *     MAP646_A_MAP nests holding both. EEXIST when GLOBAL is in any other
 *     mapping (either address of a map66 mapping, the IPv6 side of a
 *     mapping or inside an IPv6 block) or INTERNAL is in another map66
 *     mapping; INTERNAL may be the IPv6 side of one IPv4 mapping (a server
 *     with a public IPv4 and a public IPv6 address). EINVAL as for
 *     MAP646_A_MAP_IPV6, or when the two are equal.
 *   MAP646_CMD_MAP66_DEL: device, one of the two addresses (or a batch).
 *     ENOENT if no map66 mapping holds it.
 *   MAP646_CMD_MAP66_GET (dump): one message per mapping with
 *     MAP646_A_IFINDEX, both addresses and MAP646_A_MAP_STATS (4TO6:
 *     towards INTERNAL, 6TO4: from it).
 *
 *   On either path (MAP646_A_PATH) the device rewrites the packets the
 *   stack routes to it; the result is handed back as received on the
 *   device (device) or routed and sent out (prerouting).
 *
 *   MAP646_CMD_MAP_FLUSH and a table replace cover map66 mappings too:
 *   MAP646_CMD_REPLACE_ADD takes MAP646_A_MAP nests of every kind in its
 *   batches. MAP646_CMD_CONFIG_GET and the notifications also carry
 *   MAP646_A_MAP66_COUNT; MAP646_A_MAP_COUNT counts the IPv4 mappings,
 *   prefix mappings included. The notifications of map66 changes are
 *   MAP646_CMD_MAP66_ADD and MAP646_CMD_MAP66_DEL, without addresses.
 *
 * Notifications: multicast group MAP646_GENL_MCGRP_TABLE
 * -------------------------------------------------------
 *   After every change of a table, one message to the group's members in
 *   the device's network namespace; its command says what changed:
 *   MAP646_CMD_MAP_ADD, MAP646_CMD_MAP_DEL (one mapping: with its
 *   MAP646_A_MAP_IPV4 and MAP646_A_MAP_IPV6; a batch: without addresses),
 *   MAP646_CMD_MAP_FLUSH or MAP646_CMD_REPLACE_COMMIT. Each carries
 *   MAP646_A_IFINDEX, MAP646_A_IFNAME and MAP646_A_MAP_COUNT, the number of
 *   mappings after the change.
 *
 *   After every accepted MAP646_CMD_CONFIG_SET, and after a
 *   MAP646_CMD_REPLACE_COMMIT that swapped staged settings in (its BEGIN
 *   had MAP646_A_REPLACE_CONFIG; after its table message), one
 *   MAP646_CMD_CONFIG_SET message carrying the device's settings after
 *   the change, all of them, with the attributes of the
 *   MAP646_CMD_CONFIG_GET reply.
 *
 *   Nothing is built while the group has no member. Messages carry no
 *   time: a listener stamps them on receipt. Readers skip commands they
 *   do not know.
 */

#ifndef _UAPI_LINUX_MAP646_H
#define _UAPI_LINUX_MAP646_H

#define MAP646_GENL_NAME "map646"
#define MAP646_GENL_VERSION 1
#define MAP646_GENL_MCGRP_TABLE "table"

/* Upper bound on mappings per device: keeps a runaway script from eating
 * all kernel memory. A mapping costs about 150 bytes.
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
	MAP646_CMD_STATS_RESET,
	MAP646_CMD_REPLACE_BEGIN,
	MAP646_CMD_REPLACE_ADD,
	MAP646_CMD_REPLACE_COMMIT,
	MAP646_CMD_REPLACE_ABORT,
	MAP646_CMD_MAP66_ADD,
	MAP646_CMD_MAP66_DEL,
	MAP646_CMD_MAP66_GET,
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
	MAP646_A_MAP_COUNT,	/* u32, read only (a size hint in REPLACE_BEGIN) */
	MAP646_A_STATS,		/* nest of enum map646_stat, read only */
	MAP646_A_PAD,
	MAP646_A_LOWEST_MTU,	/* u16 */
	MAP646_A_UDP_ZERO_CSUM,	/* u8 */
	MAP646_A_TOS_COPY,	/* u8 */
	MAP646_A_ICMP_REPLY,	/* u8 */
	MAP646_A_POOL4,		/* 4 bytes, network order */
	MAP646_A_POOL4_LEN,	/* u8 */
	MAP646_A_MAPS,		/* nest of MAP646_A_MAP */
	MAP646_A_MAP,		/* nest: MAP646_A_MAP_IPV4, _IPV6, _STATS */
	MAP646_A_MAP_STATS,	/* nest of enum map646_map_stat, read only */
	MAP646_A_FAST_PATH,	/* retired: refused, see MAP646_A_PATH */
	MAP646_A_REPLACE_CONFIG,	/* flag: a replace of the settings too */
	MAP646_A_STATS_NAMES,	/* nest of strings, read only */
	MAP646_A_PATH,		/* u8, enum map646_path */
	MAP646_A_MAP_IPV4_LEN,	/* u8, 0..32 (a prefix mapping) */
	MAP646_A_MAP_IPV6_LEN,	/* u8, 0..128 (a prefix mapping) */
	MAP646_A_MAP66_GLOBAL,	/* 16 bytes, network order */
	MAP646_A_MAP66_INTERNAL,	/* 16 bytes, network order */
	MAP646_A_MAP66_COUNT,	/* u32, read only */
	MAP646_A_POOL6,		/* 16 bytes, network order */
	MAP646_A_POOL6_LEN,	/* u8 */
	__MAP646_A_LAST
};

#define MAP646_A_MAX (__MAP646_A_LAST - 1)

/**
 * enum map646_path - where a device translates (MAP646_A_PATH)
 * @MAP646_PATH_PREROUTING: netfilter hooks at PRE_ROUTING in the device's
 *	namespace translate IPv4 packets towards a mapped address and IPv6
 *	packets from a mapped address towards the prefix before the stack
 *	routes them, and send the result out through one route lookup (the
 *	output path: POSTROUTING and neighbours apply, FORWARD does not).
 *	Packets the stack still routes to the device (sent by the host
 *	itself, hairpins, what the hooks leave alone) are translated by the
 *	device and sent out the same way. The hooks are registered while
 *	the device is up. They take single-address and prefix mappings
 *	(RFC 7757) alike; map66 rewrites are left to the device, which the
 *	routes to the global addresses and the policy rule for the internal
 *	ones bring them to on either path.
 * @MAP646_PATH_DEVICE: only packets the stack routes to the device are
 *	translated; the result is handed back to the stack as received on
 *	the device, so FORWARD, conntrack, policy routing and packet taps
 *	on the device see both the packet and its translation.
 * @__MAP646_PATH_MAX: number of paths
 */
enum map646_path {
	MAP646_PATH_PREROUTING,
	MAP646_PATH_DEVICE,
	__MAP646_PATH_MAX
};

#define MAP646_PATH_MAX (__MAP646_PATH_MAX - 1)

/**
 * enum map646_stat - counters in MAP646_A_STATS (each NLA_U64)
 * @MAP646_STAT_UNSPEC: unused
 * @MAP646_STAT_PAD: attribute padding, not a counter
 * @MAP646_STAT_XLAT_4TO6: IPv4 packets translated to IPv6
 * @MAP646_STAT_XLAT_6TO4: IPv6 packets translated to IPv4
 * @MAP646_STAT_DROP_NO_PREFIX: dropped, the device has no prefix
 * @MAP646_STAT_DROP_NO_MAPPING_V4: IPv4 destination not in the table
 * @MAP646_STAT_DROP_NO_MAPPING_V6: IPv6 source not in the table (ICMPv6
 *	errors take an RFC 6791 source instead)
 * @MAP646_STAT_DROP_NOT_IN_PREFIX: IPv6 destination outside the prefix,
 *	and neither address of the packet in a map66 mapping
 * @MAP646_STAT_DROP_MALFORMED: truncated or inconsistent headers
 * @MAP646_STAT_DROP_FRAGMENT: fragmented ICMP (cannot be translated
 *	without reassembly)
 * @MAP646_STAT_DROP_EXTHDR: IPv6 extension header inside the fragmentable
 *	part of a fragment (answered with ICMPv6 1/1)
 * @MAP646_STAT_DROP_ICMP: ICMP type or code RFC 7915 does not translate
 *	(ND, MLD, other informational messages, errors about errors)
 * @MAP646_STAT_DROP_UDP_ZERO_CSUM: IPv4 UDP without checksum, fragmented or
 *	with the policy set to drop (answered with ICMP 3/13)
 * @MAP646_STAT_DROP_PROTOCOL: neither IPv4 nor IPv6, or ICMP of the wrong
 *	family
 * @MAP646_STAT_DROP_NOMEM: no memory to rewrite the packet
 * @MAP646_STAT_DROP_RX: the stack refused the translated packet
 * @MAP646_STAT_DROP_SPOOFED: IPv4 packet from outside with a mapped IPv4
 *	address as source
 * @MAP646_STAT_DROP_NONGLOBAL: non-global IPv4 address (RFC 6890 "Global:
 *	False": private, shared, benchmarking ranges...) as the source of an
 *	IPv4 packet or the destination of an IPv6 one, with the well-known
 *	prefix 64:ff9b::/96 (RFC 6052 section 3.1); documentation ranges pass
 * @MAP646_STAT_DROP_SRC_ROUTE: IPv4 unexpired source route (ICMP 3/5 sent)
 * @MAP646_STAT_DROP_ROUTING: IPv6 Routing header with Segments Left != 0
 *	(ICMPv6 Parameter Problem sent)
 * @MAP646_STAT_DROP_TOO_BIG: too big for the next hop with DF set (ICMP
 *	Fragmentation Needed / Packet Too Big sent)
 * @MAP646_STAT_FRAGMENTS: IPv6 fragments made of IPv4 packets without DF
 * @MAP646_STAT_DROP_UNFORWARDABLE: IPv4 address no router forwards (RFC
 *	6890 "Forwardable: False": 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16,
 *	192.0.0.0/24 but for 192.0.0.0/29, .9 and .10; and 224.0.0.0/4,
 *	240.0.0.0/4 with 255.255.255.255) as the destination an IPv6 packet
 *	names through the prefix or the source of an IPv4 packet, whatever the
 *	prefix: the backend never reaches the translator's own sockets
 * @MAP646_STAT_XLAT_66: IPv6 packets rewritten by a map66 mapping
 * @__MAP646_STAT_LAST: number of counters + 1
 */
enum map646_stat {
	MAP646_STAT_UNSPEC,
	MAP646_STAT_PAD,
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
	MAP646_STAT_DROP_SPOOFED,
	MAP646_STAT_DROP_NONGLOBAL,
	MAP646_STAT_DROP_SRC_ROUTE,
	MAP646_STAT_DROP_ROUTING,
	MAP646_STAT_DROP_TOO_BIG,
	MAP646_STAT_FRAGMENTS,
	MAP646_STAT_DROP_UNFORWARDABLE,
	MAP646_STAT_XLAT_66,
	__MAP646_STAT_LAST
};

#define MAP646_STAT_MAX (__MAP646_STAT_LAST - 1)

/**
 * enum map646_map_stat - counters of one mapping, in MAP646_A_MAP_STATS
 * @MAP646_MAP_STAT_UNSPEC: unused
 * @MAP646_MAP_STAT_PAD: attribute padding, not a counter
 * @MAP646_MAP_STAT_PKTS_4TO6: IPv4 packets to the mapped IPv4 address,
 *	translated towards the server (map66: packets to the global address,
 *	rewritten towards the internal one)
 * @MAP646_MAP_STAT_BYTES_4TO6: their bytes, IPv4 header included
 * @MAP646_MAP_STAT_PKTS_6TO4: IPv6 packets from the server, translated
 *	(map66: packets from the internal address, rewritten)
 * @MAP646_MAP_STAT_BYTES_6TO4: their bytes, IPv6 header included
 * @MAP646_MAP_STAT_IDLE_MS: milliseconds since the mapping last translated
 *	a packet; absent if it never did since it was added or reset
 * @__MAP646_MAP_STAT_LAST: number of counters + 1
 */
enum map646_map_stat {
	MAP646_MAP_STAT_UNSPEC,
	MAP646_MAP_STAT_PAD,
	MAP646_MAP_STAT_PKTS_4TO6,
	MAP646_MAP_STAT_BYTES_4TO6,
	MAP646_MAP_STAT_PKTS_6TO4,
	MAP646_MAP_STAT_BYTES_6TO4,
	MAP646_MAP_STAT_IDLE_MS,
	__MAP646_MAP_STAT_LAST
};

#define MAP646_MAP_STAT_MAX (__MAP646_MAP_STAT_LAST - 1)

#endif /* _UAPI_LINUX_MAP646_H */
