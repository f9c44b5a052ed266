/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_XLAT_H
#define _MAP646_XLAT_H

#include "xlat_env.h"

/*
 * Bytes of a packet the translator reads or writes: the largest network
 * header (IPv4 with options: 60) plus the transport bytes it touches (TCP
 * checksum at offset 16). Callers make this much linear and writable.
 */
#define MAP646_XLAT_HDR_MAX (60 + 20)

/**
 * struct map646_pkt - a packet as the translation code sees it
 * @l3: start of the network header
 * @hlen: bytes at @l3 that are contiguous (and writable for translation)
 * @len: length of the whole packet from @l3, contiguous or not
 * @l3len: network header length, set by the parser
 * @proto: transport protocol (IPv4 numbering for IPv4, next header for IPv6),
 *	   set by the parser
 */
struct map646_pkt {
	void *l3;
	unsigned int hlen;
	unsigned int len;
	unsigned int l3len;
	u8 proto;
};

/*
 * The parsers return 0 when the packet can be translated, else the
 * enum map646_stat drop reason. They check only what the packet carries;
 * address lookups are the caller's. On success @pkt->len is trimmed to the
 * length the header claims (link-layer padding removed).
 */
int map646_xlat_parse4(struct map646_pkt *pkt);
int map646_xlat_parse6(struct map646_pkt *pkt);

void map646_xlat_4to6(const struct map646_pkt *pkt, const struct in6_addr *saddr,
		      const struct in6_addr *daddr, struct ipv6hdr *ip6);
void map646_xlat_6to4(const struct map646_pkt *pkt, __be32 saddr, __be32 daddr,
		      struct iphdr *ip4);

#endif /* _MAP646_XLAT_H */
