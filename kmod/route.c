// SPDX-License-Identifier: GPL-2.0
/*
 * Routes of translated packets: their output lookups, the route MTUs the
 * translation checks against, each mapping's remembered route to its
 * server, and the reply route ICMP errors need about packets caught before
 * routing. Data path: RCU readers with BH off.
 */
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/nexthop.h>
#include <net/route.h>
#include <net/xfrm.h>
#include "compat.h"
#include "route.h"

/*
 * A remembered route stands for a fresh lookup only while routes depend on
 * the destination alone: no policy rules (source, mark, traffic class) and
 * no source-specific routes in the namespace.
 */
static bool cacheable(struct net *net)
{
	return !fib6_has_custom_rules(net) && !fib6_routes_require_src(net);
}

/* The remembered route if it still holds; no reference taken (RCU). */
static struct dst_entry *cache_get(struct map646_route6 *rc)
{
	struct dst_entry *dst;
	u32 seq, cookie;

	/* pairs with cache_set()'s release: the pair is at least this new */
	seq = smp_load_acquire(&rc->seq);
	if (seq & 1)
		return NULL;
	dst = READ_ONCE(rc->dst);
	cookie = READ_ONCE(rc->cookie);
	/* the pair is read before the sequence is looked at again */
	smp_rmb();
	if (!dst || READ_ONCE(rc->seq) != seq)
		return NULL;
	return dst_check(dst, cookie);
}

/*
 * One of several equal-cost routes (ECMP, siblings or a nexthop group):
 * each client's packets hash to their own nexthop, so none is remembered
 * for the mapping.
 */
static bool multipath(struct rt6_info *rt)
{
	struct fib6_info *from;
	bool mp;

	rcu_read_lock();
	from = rcu_dereference(rt->from);
	mp = from && (READ_ONCE(from->fib6_nsiblings) ||
		      (from->nh && nexthop_is_multipath(from->nh)));
	rcu_read_unlock();
	return mp;
}

/* Remember @dst (the caller keeps its reference) unless a CPU already is. */
static void cache_set(struct map646_route6 *rc, struct dst_entry *dst)
{
	struct rt6_info *rt = container_of(dst, struct rt6_info, dst);
	u32 seq = READ_ONCE(rc->seq);
	struct dst_entry *old;

	if (multipath(rt))
		return;
	if ((seq & 1) || cmpxchg(&rc->seq, seq, seq + 1) != seq)
		return;
	old = rc->dst;
	dst_hold(dst);
	WRITE_ONCE(rc->dst, dst);
	WRITE_ONCE(rc->cookie, rt6_get_cookie(rt));
	/* pairs with cache_get()'s acquire: the new pair before the number */
	smp_store_release(&rc->seq, seq + 2);
	/* readers still on it are RCU readers: the last release waits */
	dst_release(old);
}

/**
 * map646_route6_release() - forget a remembered route
 * @rc: no reader can reach it any more
 */
void map646_route6_release(struct map646_route6 *rc)
{
	dst_release(rc->dst);
	rc->dst = NULL;
}

/* A route with a reference, or NULL when there is none. */
static struct dst_entry *lookup6(struct net *net, struct flowi6 *fl6)
{
	struct dst_entry *dst = ip6_route_output(net, NULL, fl6);

	if (dst->error) {
		dst_release(dst);
		return NULL;
	}
	return dst;
}

/*
 * Send a routed packet, through IPsec as a forwarded one goes: the
 * policies' output lookup (@xfrm_forward) costs one test without policies.
 */
static int send(struct net *net, struct sk_buff *skb,
		int (*xfrm_forward)(struct sk_buff *skb))
{
	if (unlikely(!xfrm_forward(skb))) {
		kfree_skb(skb);
		return -EHOSTUNREACH;
	}
	return dst_output(net, NULL, skb);
}

/**
 * map646_route_out6() - route a translated IPv6 packet and send it
 * @net: namespace of the device
 * @skb: the packet, network header at data; consumed
 * @rc: route cache of the mapping whose server is the destination, or NULL
 *
 * Return: what dst_output() returns, or -EHOSTUNREACH.
 */
int map646_route_out6(struct net *net, struct sk_buff *skb,
		      struct map646_route6 *rc)
{
	struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct dst_entry *dst;
	struct flowi6 fl6;

	rc = rc && cacheable(net) ? rc : NULL;
	dst = rc ? cache_get(rc) : NULL;
	if (likely(dst)) {
		skb_dst_set_noref(skb, dst);
		return send(net, skb, xfrm6_route_forward);
	}
	fl6 = (struct flowi6) {
		.daddr = ip6->daddr,
		.saddr = ip6->saddr,
		.flowlabel = ip6_flowinfo(ip6),
		.flowi6_proto = ip6->nexthdr,
		.flowi6_mark = skb->mark,
	};
	dst = lookup6(net, &fl6);
	if (unlikely(!dst)) {
		kfree_skb(skb);
		return -EHOSTUNREACH;
	}
	if (rc)
		cache_set(rc, dst);
	skb_dst_set(skb, dst);
	return send(net, skb, xfrm6_route_forward);
}

/**
 * map646_route_out4() - route a translated IPv4 packet and send it
 * @net: namespace of the device
 * @skb: the packet, network header at data; consumed
 *
 * Return: what dst_output() returns, or the lookup's error.
 */
int map646_route_out4(struct net *net, struct sk_buff *skb)
{
	struct iphdr *ip4 = ip_hdr(skb);
	struct flowi4 fl4 = {
		.daddr = ip4->daddr,
		.saddr = ip4->saddr,
		.flowi4_proto = ip4->protocol,
		.flowi4_mark = skb->mark,
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
	};
	struct rtable *rt;

	map646_compat_flowi4_tos(&fl4, ip4->tos);
	rt = __ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	skb_dst_set(skb, &rt->dst);
	return send(net, skb, xfrm4_route_forward);
}

/**
 * map646_route_reply4() - give a packet not yet routed (caught at
 * PRE_ROUTING) a route, for the ICMP errors icmp_send() sends about it
 * @net: namespace of the device
 * @skb: the IPv4 packet, without a route
 *
 * The route back to its source: it names the namespace and the interface
 * an error leaves by and is neither local nor broadcast, as the input
 * route of a forwarded packet is not. Without one, icmp_send() sends
 * nothing.
 */
void map646_route_reply4(struct net *net, struct sk_buff *skb)
{
	struct flowi4 fl4 = {
		.daddr = ip_hdr(skb)->saddr,
		.flowi4_mark = skb->mark,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (!IS_ERR(rt))
		skb_dst_set(skb, &rt->dst);
}

/**
 * map646_route_mtu6() - the MTU towards an IPv6 destination
 * @net: namespace of the device
 * @daddr: the destination
 * @rc: route cache of the mapping whose server @daddr is, or NULL
 *
 * Return: the MTU; without a route, UINT_MAX (no limit: the stack decides).
 */
unsigned int map646_route_mtu6(struct net *net, const struct in6_addr *daddr,
			       struct map646_route6 *rc)
{
	struct flowi6 fl6 = { .daddr = *daddr };
	struct dst_entry *dst;
	unsigned int mtu;

	rc = rc && cacheable(net) ? rc : NULL;
	dst = rc ? cache_get(rc) : NULL;
	if (dst)
		return dst_mtu(dst);
	dst = lookup6(net, &fl6);
	if (!dst)
		return UINT_MAX;
	if (rc)
		cache_set(rc, dst);
	mtu = dst_mtu(dst);
	dst_release(dst);
	return mtu;
}

/**
 * map646_route_mtu4() - the MTU towards an IPv4 destination
 * @net: namespace of the device
 * @daddr: the destination
 *
 * Return: the MTU; without a route, UINT_MAX.
 */
unsigned int map646_route_mtu4(struct net *net, __be32 daddr)
{
	struct flowi4 fl4 = { .daddr = daddr };
	struct rtable *rt;
	unsigned int mtu;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return UINT_MAX;
	mtu = dst_mtu(&rt->dst);
	ip_rt_put(rt);
	return mtu;
}

/**
 * map646_route_saddr6() - the address the host would send from to @daddr
 * @net: namespace of the device
 * @daddr: the destination
 * @saddr: the source address chosen (RFC 6724)
 *
 * Return: 0, or a negative errno without a route or an address.
 */
int map646_route_saddr6(struct net *net, const struct in6_addr *daddr,
			struct in6_addr *saddr)
{
	struct flowi6 fl6 = { .daddr = *daddr };
	struct dst_entry *dst;
	int err;

	dst = lookup6(net, &fl6);
	if (!dst)
		return -EHOSTUNREACH;
	err = ipv6_dev_get_saddr(net, dst->dev, daddr, 0, saddr);
	dst_release(dst);
	return err;
}
