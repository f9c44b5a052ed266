// SPDX-License-Identifier: GPL-2.0
/*
 * The prerouting path: two netfilter hooks at PRE_ROUTING in the namespace
 * of a map646 device (one pair per device, registered while the device is
 * up with path prerouting). They translate IPv4 packets towards a mapped
 * address and IPv6 packets from a mapped server towards the prefix before
 * the stack routes them, and send the result out through one route lookup,
 * with the translation (path.c) and output (device.c) the device's
 * transmit path uses. Everything else goes on (NF_ACCEPT) after one table
 * lookup (IPv4) or one prefix compare (IPv6); packets the hooks leave alone
 * still reach the device through its routes. An IPv4 destination in a
 * prefix mapping (RFC 7757) is caught as a single mapped one is. map66
 * rewrites are not the hooks': an IPv6 packet outside the prefix goes on,
 * and the routes to the global addresses and the policy rule for the
 * internal ones bring it to the device, which rewrites it and sends the
 * result out as this path does (no other packet pays a map66 lookup here).
 *
 * The hooks act for the router the stack would have been: what it would
 * not forward (not addressed to this host's link address, TTL or hop limit
 * expiring here, martian IPv4 sources, forwarding off) is left to the
 * stack, which drops it or answers it with the ICMP error it always sends,
 * Time Exceeded included. The rest is translated as it arrived (the path
 * is told it was caught here) and leaves with one less TTL / hop limit,
 * the one forwarding step it takes.
 *
 * Priority: just before conntrack (NF_IP_PRI_CONNTRACK - 1 = -201).
 *  - After raw (-300): rules at raw priority (drop lists, notrack, marks
 *    that steer the output route) see the packet as it arrived.
 *  - Before conntrack (-200): a packet the hooks take never reaches
 *    conntrack's confirm hook, so tracking it would leave an unconfirmed
 *    entry behind, made anew for every packet of the flow; stateless
 *    translation needs none.
 *  - Hence before mangle (-150) and DNAT (-100): they do not see the
 *    packets translated here. (With conntrack loaded, its defragmentation
 *    at -400 may hand the hooks reassembled packets, as it hands the
 *    forwarding path.)
 */
#include <linux/inetdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "device.h"
#include "hook.h"
#include "path.h"
#include "table.h"

/* Sources IPv4 routing never forwards from (RFC 1812 5.3.7). */
static bool martian4(__be32 a)
{
	return ipv4_is_multicast(a) || ipv4_is_lbcast(a) ||
	       ipv4_is_zeronet(a) || ipv4_is_loopback(a);
}

static bool forwards4(const struct net_device *in)
{
	struct in_device *idev = __in_dev_get_rcu(in);

	return idev && IN_DEV_FORWARD(idev);
}

static unsigned int map646_hook4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct net_device *dev = priv;
	struct map646_dev *m = netdev_priv(dev);
	struct map646_table *t = rcu_dereference(m->table);
	const struct iphdr *ip4 = ip_hdr(skb);
	struct map646_found dst;
	struct sk_buff_head out;
	int stat;

	/* a single-address mapping, else the longest block (RFC 7757) */
	if (likely(!map646_table_match4(t, ip4->daddr, &dst)))
		return NF_ACCEPT;
	if (unlikely(skb->pkt_type != PACKET_HOST || ip4->ttl <= 1 ||
		     martian4(ip4->saddr) || !forwards4(skb->dev)))
		return NF_ACCEPT;

	__skb_queue_head_init(&out);
	/* the headers change: a checksum of the packet no longer holds */
	skb_forward_csum(skb);
	stat = map646_path_4to6(dev, &rcu_dereference(t->params)->cfg, t, &dst,
				skb, &out);
	map646_dev_finish(m, dev, false, stat, skb, &out);
	return NF_STOLEN;
}

static unsigned int map646_hook6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct net_device *dev = priv;
	struct map646_dev *m = netdev_priv(dev);
	struct map646_table *t = rcu_dereference(m->table);
	const struct map646_cfg *cfg = &rcu_dereference(t->params)->cfg;
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct sk_buff_head out;
	__be32 dst4;
	int stat;

	/* the one prefix test; the path takes the address it found */
	if (likely(!cfg->prefix.len ||
		   !map646_prefix_extract(&cfg->prefix, &ip6->daddr, &dst4)))
		return NF_ACCEPT;
	if (unlikely(skb->pkt_type != PACKET_HOST || ip6->hop_limit <= 1 ||
		     !READ_ONCE(state->net->ipv6.devconf_all->forwarding)))
		return NF_ACCEPT;

	__skb_queue_head_init(&out);
	skb_forward_csum(skb);
	stat = map646_path_6to4(dev, cfg, t, &dst4, skb, &out);
	/* not from a mapped server: the stack routes it, as it was */
	if (stat == MAP646_STAT_DROP_NO_MAPPING_V6)
		return NF_ACCEPT;
	map646_dev_finish(m, dev, false, stat, skb, &out);
	return NF_STOLEN;
}

/**
 * map646_hook_init() - prepare the hooks of a new device (not registered)
 * @dev: the map646 device
 */
void map646_hook_init(struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);

	m->hooks[0] = (struct nf_hook_ops) {
		.hook = map646_hook4,
		.priv = dev,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK - 1,
	};
	m->hooks[1] = (struct nf_hook_ops) {
		.hook = map646_hook6,
		.priv = dev,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_CONNTRACK - 1,
	};
}

/**
 * map646_hook_set() - register or unregister a device's hooks; RTNL held.
 * May sleep.
 * @dev: the map646 device
 * @on: whether its hooks are to run
 *
 * Unregistering waits until no CPU runs them any more: after it, neither
 * the device nor the module may be needed by a hook.
 *
 * Return: 0, or the error of the registration (nothing changed).
 */
int map646_hook_set(struct net_device *dev, bool on)
{
	struct map646_dev *m = netdev_priv(dev);
	int err;

	ASSERT_RTNL();
	if (on == m->hooked)
		return 0;
	if (on) {
		err = nf_register_net_hooks(dev_net(dev), m->hooks,
					    ARRAY_SIZE(m->hooks));
		if (err)
			return err;
	} else {
		nf_unregister_net_hooks(dev_net(dev), m->hooks,
					ARRAY_SIZE(m->hooks));
		/* a hook's function may run on until readers are done */
		synchronize_net();
	}
	m->hooked = on;
	return 0;
}
