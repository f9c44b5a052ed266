/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_ROUTE_H
#define _MAP646_ROUTE_H

#include <linux/types.h>

struct dst_entry;
struct in6_addr;
struct net;
struct sk_buff;

/**
 * struct map646_route6 - a mapping's remembered route to its IPv6 server
 * @seq: even when @dst and @cookie agree; odd while one CPU replaces them
 * @cookie: what dst_check() needs to tell whether @dst still holds
 * @dst: the route, with a reference of its own; NULL until the first
 *	 lookup
 *
 * Every IPv4 packet to a mapped address goes to the same server, so its
 * route is looked up once and checked (a cookie compare) afterwards, as
 * tunnels do with their dst_cache, but once per mapping rather than per
 * CPU. Readers never wait and never write: a reader that meets a change
 * in progress looks the route up itself.
 */
struct map646_route6 {
	u32 seq;
	u32 cookie;
	struct dst_entry *dst;
};

void map646_route6_release(struct map646_route6 *rc);
int map646_route_out6(struct net *net, struct sk_buff *skb,
		      struct map646_route6 *rc);
int map646_route_out4(struct net *net, struct sk_buff *skb);
void map646_route_reply4(struct net *net, struct sk_buff *skb);
unsigned int map646_route_mtu6(struct net *net, const struct in6_addr *daddr,
			       struct map646_route6 *rc);
unsigned int map646_route_mtu4(struct net *net, __be32 daddr);
int map646_route_saddr6(struct net *net, const struct in6_addr *daddr,
			struct in6_addr *saddr);

#endif /* _MAP646_ROUTE_H */
