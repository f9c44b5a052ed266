/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the translation sources, not by their callers. */
#ifndef _MAP646_XLAT_INT_H
#define _MAP646_XLAT_INT_H

#include <linux/map646.h>
#include "xlat.h"
#include "xlat_env.h"

__sum16 map646_csum_update(__sum16 check, __wsum sub, __wsum add);
__wsum map646_icmp_type_sum(u8 type, u8 code);
__wsum map646_icmp6_pseudo_sum(const struct in6_addr *saddr,
			       const struct in6_addr *daddr, unsigned int len);

/**
 * map646_xlat_len6() - check an IPv6 header, trim the packet to its length
 * @pkt: packet; @len becomes what the header's payload length says
 *
 * Return: 0, or MAP646_STAT_DROP_MALFORMED: no IPv6 header, a payload
 * length beyond the packet, or a jumbogram (payload length 0 with a
 * Hop-by-Hop header: too big for IPv4, and for our checks).
 */
static inline int map646_xlat_len6(struct map646_pkt *pkt)
{
	const struct ipv6hdr *ip6 = pkt->l3;
	unsigned int tot_len;

	if (unlikely(pkt->hlen < sizeof(*ip6) || ip6->version != 6))
		return MAP646_STAT_DROP_MALFORMED;
	tot_len = sizeof(*ip6) + ntohs(ip6->payload_len);
	if (unlikely(tot_len > pkt->len ||
		     (!ip6->payload_len && ip6->nexthdr != NEXTHDR_NONE)))
		return MAP646_STAT_DROP_MALFORMED;
	pkt->len = tot_len;
	return 0;
}

#endif /* _MAP646_XLAT_INT_H */
