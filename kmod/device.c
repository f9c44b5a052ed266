// SPDX-License-Identifier: GPL-2.0
/*
 * The map646 netdevice. The stack routes packets to it; its transmit path
 * translates them and hands them back to the stack as received on the same
 * device, so routing, netfilter and packet taps see the translated packet.
 */
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <net/rtnetlink.h>
#include "compat.h"
#include "device.h"
#include "table.h"
#include "xlat.h"

/* An IPv4 packet of this size translates into a 1500-byte IPv6 packet. */
#define MAP646_MTU (ETH_DATA_LEN - sizeof(struct ipv6hdr) + sizeof(struct iphdr))

static atomic64_t map646_gen = ATOMIC64_INIT(0);

static const char * const stat_names[__MAP646_STAT_LAST] = {
	[MAP646_STAT_DROP_NO_PREFIX] = "no prefix",
	[MAP646_STAT_DROP_NO_MAPPING_V4] = "IPv4 destination not mapped",
	[MAP646_STAT_DROP_NO_MAPPING_V6] = "IPv6 source not mapped",
	[MAP646_STAT_DROP_NOT_IN_PREFIX] = "IPv6 destination outside prefix",
	[MAP646_STAT_DROP_MALFORMED] = "malformed",
	[MAP646_STAT_DROP_FRAGMENT] = "fragment",
	[MAP646_STAT_DROP_EXTHDR] = "IPv6 extension header",
	[MAP646_STAT_DROP_ICMP] = "untranslated ICMP type",
	[MAP646_STAT_DROP_UDP_ZERO_CSUM] = "UDP without checksum",
	[MAP646_STAT_DROP_PROTOCOL] = "protocol",
	[MAP646_STAT_DROP_NOMEM] = "out of memory",
};

static void count(struct map646_dev *m, int stat)
{
	struct map646_stats *s = this_cpu_ptr(m->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[stat]);
	u64_stats_update_end(&s->syncp);
}

/* Make the headers linear: the translation reads them as plain memory. */
static int pull(struct sk_buff *skb, struct map646_pkt *pkt)
{
	if (unlikely(!pskb_may_pull(skb, min_t(unsigned int, skb->len,
					       MAP646_XLAT_HDR_MAX))))
		return MAP646_STAT_DROP_MALFORMED;
	pkt->l3 = skb->data;
	pkt->hlen = skb_headlen(skb);
	pkt->len = skb->len;
	return 0;
}

/* Drop padding, get private writable headers and room for the new one. */
static int make_room(struct sk_buff *skb, struct map646_pkt *pkt,
		     unsigned int new_l3len)
{
	unsigned int grow = new_l3len > pkt->l3len ? new_l3len - pkt->l3len : 0;

	if (unlikely(pskb_trim_rcsum(skb, pkt->len) ||
		     skb_ensure_writable(skb, min_t(unsigned int, skb->len,
						    MAP646_XLAT_HDR_MAX)) ||
		     skb_cow_head(skb, grow)))
		return MAP646_STAT_DROP_NOMEM;
	pkt->l3 = skb->data;
	pkt->hlen = skb_headlen(skb);
	return 0;
}

static int xlat4(struct map646_dev *m, struct sk_buff *skb)
{
	const struct map646_params *p = rcu_dereference(m->params);
	const struct map646_entry *e;
	struct map646_pkt pkt;
	struct in6_addr saddr;
	struct ipv6hdr ip6;
	struct iphdr *ip4;
	int err;

	if (unlikely(!p->prefix.len))
		return MAP646_STAT_DROP_NO_PREFIX;
	err = pull(skb, &pkt) ?: map646_xlat_parse4(&pkt);
	if (unlikely(err))
		return err;
	ip4 = pkt.l3;
	e = map646_table_find4(rcu_dereference(m->table), ip4->daddr);
	if (unlikely(!e))
		return MAP646_STAT_DROP_NO_MAPPING_V4;
	map646_prefix_embed(&p->prefix, ip4->saddr, &saddr);

	err = make_room(skb, &pkt, sizeof(ip6));
	if (unlikely(err))
		return err;
	map646_xlat_4to6(&pkt, &saddr, &e->v6, &ip6);
	skb_pull(skb, pkt.l3len);
	memcpy(skb_push(skb, sizeof(ip6)), &ip6, sizeof(ip6));
	skb->protocol = htons(ETH_P_IPV6);
	return MAP646_STAT_XLAT_4TO6;
}

static int xlat6(struct map646_dev *m, struct sk_buff *skb)
{
	const struct map646_params *p = rcu_dereference(m->params);
	const struct map646_entry *e;
	struct map646_pkt pkt;
	struct ipv6hdr *ip6;
	struct iphdr ip4;
	__be32 daddr;
	int err;

	if (unlikely(!p->prefix.len))
		return MAP646_STAT_DROP_NO_PREFIX;
	err = pull(skb, &pkt) ?: map646_xlat_parse6(&pkt);
	if (unlikely(err))
		return err;
	ip6 = pkt.l3;
	if (unlikely(!map646_prefix_extract(&p->prefix, &ip6->daddr, &daddr)))
		return MAP646_STAT_DROP_NOT_IN_PREFIX;
	e = map646_table_find6(rcu_dereference(m->table), &ip6->saddr);
	if (unlikely(!e))
		return MAP646_STAT_DROP_NO_MAPPING_V6;

	err = make_room(skb, &pkt, sizeof(ip4));
	if (unlikely(err))
		return err;
	map646_xlat_6to4(&pkt, e->v4, daddr, &ip4);
	skb_pull(skb, pkt.l3len);
	memcpy(skb_push(skb, sizeof(ip4)), &ip4, sizeof(ip4));
	skb->protocol = htons(ETH_P_IP);
	return MAP646_STAT_XLAT_6TO4;
}

/* Hand the translated packet back to the stack as received on @dev. */
static void reinject(struct map646_dev *m, struct net_device *dev,
		     struct sk_buff *skb)
{
	unsigned int len = skb->len;

	skb_scrub_packet(skb, false);
	skb_orphan(skb);
	__vlan_hwaccel_clear_tag(skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	skb->dev = dev;
	/* the checksum was updated, not verified: let the receiver check it */
	skb->ip_summed = CHECKSUM_NONE;
	skb_clear_hash(skb);
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);

	if (likely(netif_rx(skb) == NET_RX_SUCCESS))
		dev_sw_netstats_rx_add(dev, len);
	else
		count(m, MAP646_STAT_DROP_RX);
}

static netdev_tx_t map646_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);
	int stat;

	dev_sw_netstats_tx_add(dev, 1, skb->len);
	rcu_read_lock();
	if (skb->protocol == htons(ETH_P_IP))
		stat = xlat4(m, skb);
	else if (skb->protocol == htons(ETH_P_IPV6))
		stat = xlat6(m, skb);
	else
		stat = MAP646_STAT_DROP_PROTOCOL;
	rcu_read_unlock();
	count(m, stat);

	if (unlikely(stat != MAP646_STAT_XLAT_4TO6 &&
		     stat != MAP646_STAT_XLAT_6TO4)) {
		net_dbg_ratelimited("%s: dropped: %s\n", dev->name,
				    stat_names[stat]);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	reinject(m, dev, skb);
	return NETDEV_TX_OK;
}

/**
 * map646_dev_stats_read() - sum the per-CPU counters
 * @m: device
 * @sum: __MAP646_STAT_LAST counters, indexed by enum map646_stat
 */
void map646_dev_stats_read(struct map646_dev *m, u64 *sum)
{
	unsigned int cpu, i, start;

	memset(sum, 0, sizeof(*sum) * __MAP646_STAT_LAST);
	for_each_possible_cpu(cpu) {
		const struct map646_stats *s = per_cpu_ptr(m->stats, cpu);
		u64 v[__MAP646_STAT_LAST];

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < __MAP646_STAT_LAST; i++)
				v[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < __MAP646_STAT_LAST; i++)
			sum[i] += v[i];
	}
}

static void map646_get_stats64(struct net_device *dev,
			       struct rtnl_link_stats64 *stats)
{
	u64 sum[__MAP646_STAT_LAST];
	unsigned int i;

	dev_get_tstats64(dev, stats);
	map646_dev_stats_read(netdev_priv(dev), sum);
	for (i = MAP646_STAT_DROP_NO_PREFIX; i < MAP646_STAT_DROP_RX; i++)
		stats->tx_dropped += sum[i];
	stats->rx_dropped += sum[MAP646_STAT_DROP_RX];
}

/**
 * map646_dev_table_changed() - note a table change for dump consistency
 * @m: device, with @m->lock held
 */
void map646_dev_table_changed(struct map646_dev *m)
{
	m->gen = atomic64_inc_return(&map646_gen);
}

static int map646_init(struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);
	struct map646_params *params;
	struct map646_table *table;

	m->stats = netdev_alloc_pcpu_stats(struct map646_stats);
	params = kzalloc(sizeof(*params), GFP_KERNEL_ACCOUNT);
	table = map646_table_alloc();
	if (!m->stats || !params || !table) {
		map646_table_free(table);
		kfree(params);
		free_percpu(m->stats);
		return -ENOMEM;
	}
	mutex_init(&m->lock);
	RCU_INIT_POINTER(m->params, params);
	RCU_INIT_POINTER(m->table, table);
	map646_dev_table_changed(m);
	return 0;
}

/* Runs once the last reference is gone: nothing can reach the device. */
static void map646_destruct(struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);

	map646_table_free(rcu_dereference_protected(m->table, true));
	kfree(rcu_dereference_protected(m->params, true));
	free_percpu(m->stats);
	mutex_destroy(&m->lock);
}

static const struct net_device_ops map646_netdev_ops = {
	.ndo_init = map646_init,
	.ndo_start_xmit = map646_xmit,
	.ndo_get_stats64 = map646_get_stats64,
};

static void map646_setup(struct net_device *dev)
{
	dev->netdev_ops = &map646_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	map646_compat_set_lltx(dev);
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = MAP646_MTU;
	/* below 1280 the kernel would disable IPv6 on the device */
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->needs_free_netdev = true;
	dev->priv_destructor = map646_destruct;
}

static struct rtnl_link_ops map646_link_ops __read_mostly = {
	.kind = MAP646_GENL_NAME,
	.priv_size = sizeof(struct map646_dev),
	.setup = map646_setup,
};

/**
 * map646_dev_get() - find a map646 device and take a reference on it
 * @net: namespace to look in
 * @ifindex: interface index, or 0 to look up by @name
 * @name: interface name, when @ifindex is 0
 *
 * Return: the device (release with dev_put()), ERR_PTR(-ENODEV) if there
 * is none, ERR_PTR(-EOPNOTSUPP) if it is not a map646 device.
 */
struct net_device *map646_dev_get(struct net *net, int ifindex,
				  const char *name)
{
	struct net_device *dev;

	dev = ifindex ? dev_get_by_index(net, ifindex) :
			dev_get_by_name(net, name);
	if (!dev)
		return ERR_PTR(-ENODEV);
	if (dev->rtnl_link_ops != &map646_link_ops) {
		dev_put(dev);
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

/**
 * map646_device_init() - register the map646 link type
 *
 * Return: 0 or a negative errno.
 */
int map646_device_init(void)
{
	return rtnl_link_register(&map646_link_ops);
}

/**
 * map646_device_uninit() - unregister the link type, deleting every device
 */
void map646_device_uninit(void)
{
	rtnl_link_unregister(&map646_link_ops);
}
