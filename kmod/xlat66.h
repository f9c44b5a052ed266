/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_XLAT66_H
#define _MAP646_XLAT66_H

#include "xlat.h"

/**
 * struct map646_rewrite66 - the addresses a map66 rewrite puts in place
 * @saddr: new source, or NULL to keep it
 * @daddr: new destination, or NULL
 * @in_saddr: new source of the packet an ICMPv6 error quotes, or NULL
 * @in_daddr: new destination of that packet, or NULL
 */
struct map646_rewrite66 {
	const struct in6_addr *saddr;
	const struct in6_addr *daddr;
	const struct in6_addr *in_saddr;
	const struct in6_addr *in_daddr;
};

int map646_xlat66_parse(struct map646_pkt *pkt);
const struct ipv6hdr *map646_xlat66_inner(const struct map646_pkt *pkt);
void map646_xlat66(const struct map646_pkt *pkt,
		   const struct map646_rewrite66 *rw);

#endif /* _MAP646_XLAT66_H */
