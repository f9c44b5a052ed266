// SPDX-License-Identifier: GPL-2.0
/*
 * The map646 netdevice: it owns the table, the settings and the counters,
 * and translates what the stack routes to it. Where the translations go
 * depends on the device's path (enum map646_path): re-injected as received
 * on the device (device), so routing, netfilter and packet taps see them;
 * or routed and sent out directly (prerouting), the output of the
 * PRE_ROUTING hooks (hook.c) too, which the device registers while it is up.
 */
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/rtnetlink.h>
#include "compat.h"
#include "device.h"
#include "ethtool.h"
#include "hook.h"
#include "netlink.h"
#include "table.h"
#include "path.h"
#include "route.h"

/*
 * The device itself never limits packet size: the translator checks each
 * packet against the MTU of the route it will take once translated, so it
 * can answer in the right family with the right MTU (RFC 7915).
 */
#define MAP646_MTU IP_MAX_MTU

static atomic64_t map646_gen = ATOMIC64_INIT(0);

static bool is_drop(int stat)
{
	return stat != MAP646_STAT_XLAT_4TO6 && stat != MAP646_STAT_XLAT_6TO4 &&
	       stat != MAP646_STAT_XLAT_66 &&
	       stat != MAP646_STAT_FRAGMENTS && stat != MAP646_STAT_PAD &&
	       stat != MAP646_STAT_UNSPEC && stat != MAP646_STAT_DROP_RX;
}

static void count(struct map646_dev *m, int stat, unsigned int n)
{
	struct map646_stats *s = this_cpu_ptr(m->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[stat], n);
	u64_stats_update_end(&s->syncp);
}

/*
 * What the device takes from the stack unchanged: checksum offload and
 * TCP/UDP segmentation offload (a GSO packet is translated once, whole).
 */
#define MAP646_FEATURES (NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | \
			 NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN | \
			 NETIF_F_TSO_MANGLEID | NETIF_F_GSO_UDP_L4)

/*
 * What a translated packet keeps of its life before the device, on either
 * path: nothing of the old headers (a complete checksum, a flow hash, a
 * VLAN tag an action put on), of its socket or of skb->cb but the DF
 * choice. Return: the route cache the translation left in skb->cb.
 */
static struct map646_route6 *scrub(struct sk_buff *skb)
{
	struct map646_route6 *rc = MAP646_SKB_CB(skb)->route6;
	bool ignore_df = MAP646_SKB_CB(skb)->ignore_df;

	skb_scrub_packet(skb, false);
	skb_orphan(skb);
	__vlan_hwaccel_clear_tag(skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	skb->ignore_df = ignore_df;
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	skb_clear_hash(skb);
	skb_reset_network_header(skb);
	return rc;
}

/*
 * Hand a translated packet back to the stack as received on @dev, through
 * the device's per-CPU GRO queues: segments of one flow merge again, and
 * a batch reaches IP as a list. With GRO off on the device (ethtool -K)
 * gro_cells_receive() falls back to netif_rx(). A refused packet is in
 * the device's rx_dropped already.
 */
static void reinject(struct map646_dev *m, struct net_device *dev,
		     struct sk_buff *skb)
{
	unsigned int len = skb->len;

	scrub(skb);
	skb->dev = dev;
	skb_reset_mac_header(skb);
	if (likely(gro_cells_receive(&m->gro_cells, skb) == NET_RX_SUCCESS))
		dev_sw_netstats_rx_add(dev, len);
	else
		count(m, MAP646_STAT_DROP_RX, 1);
}

/*
 * The prerouting path's output: route the translated packet and send it
 * out directly, through the output path (POSTROUTING, neighbours) but not
 * through the receive and forward path (a second time). The translation
 * left the TTL / hop limit one above what the packet leaves with (struct
 * map646_pkt's @hops): the one forwarding step there is takes it here.
 */
static void route_out(struct map646_dev *m, struct net_device *dev,
		      struct sk_buff *skb)
{
	unsigned int len = skb->len;
	struct map646_route6 *rc;
	int err;

	rc = scrub(skb);
	/* what comes back to the device this way is a hairpin of its own */
	skb->skb_iif = dev->ifindex;
	if (skb->protocol == htons(ETH_P_IPV6)) {
		ipv6_hdr(skb)->hop_limit--;
		err = map646_route_out6(dev_net(dev), skb, rc);
	} else {
		ip_decrease_ttl(ip_hdr(skb));
		err = map646_route_out4(dev_net(dev), skb);
	}
	if (likely(!net_xmit_eval(err))) {
		dev_sw_netstats_rx_add(dev, len);
	} else {
		count(m, MAP646_STAT_DROP_RX, 1);
		dev_core_stats_rx_dropped_inc(dev);
	}
}

/**
 * map646_dev_finish() - account for one translation and send what it made
 * @m: the device's private part
 * @dev: the device
 * @device_path: hand the translation back as received on @dev (path
 *		 device); else route it and send it out
 * @stat: what map646_path_4to6() or map646_path_6to4() returned
 * @skb: the packet they were given; freed if @stat is a drop
 * @out: the packets they made
 *
 * Data path, under RCU (the mappings that translated @out stay until their
 * remembered routes are used).
 */
void map646_dev_finish(struct map646_dev *m, struct net_device *dev,
		       bool device_path, int stat, struct sk_buff *skb,
		       struct sk_buff_head *out)
{
	count(m, stat, 1);
	if (unlikely(is_drop(stat))) {
		net_dbg_ratelimited("%s: dropped: %s\n", dev->name,
				    map646_stat_key(stat));
		kfree_skb(skb);
		return;
	}
	if (unlikely(skb_queue_len(out) > 1))
		count(m, MAP646_STAT_FRAGMENTS, skb_queue_len(out));
	while ((skb = __skb_dequeue(out))) {
		if (device_path)
			reinject(m, dev, skb);
		else
			route_out(m, dev, skb);
	}
}

static netdev_tx_t map646_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);
	unsigned int len = skb->len;
	const struct map646_cfg *cfg;
	struct map646_table *t;
	struct sk_buff_head out;
	int stat;

	__skb_queue_head_init(&out);
	rcu_read_lock();
	t = rcu_dereference(m->table);
	cfg = &rcu_dereference(t->params)->cfg;
	if (skb->protocol == htons(ETH_P_IP))
		stat = map646_path_4to6(dev, cfg, t, NULL, skb, &out);
	else if (skb->protocol == htons(ETH_P_IPV6))
		stat = map646_path_6(dev, cfg, t, skb, &out);
	else
		stat = MAP646_STAT_DROP_PROTOCOL;
	/*
	 * What the device was handed: sent (translated) or dropped. Drops of
	 * the PRE_ROUTING hooks, which never pass the device, are only in the
	 * per-reason counters.
	 */
	if (likely(!is_drop(stat)))
		dev_sw_netstats_tx_add(dev, 1, len);
	else
		dev_core_stats_tx_dropped_inc(dev);
	map646_dev_finish(m, dev, cfg->path == MAP646_PATH_DEVICE, stat, skb,
			  &out);
	rcu_read_unlock();
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
	params = kzalloc_obj(*params, GFP_KERNEL_ACCOUNT);
	if (params)
		map646_cfg_default(&params->cfg);
	table = map646_table_alloc(0);
	map646_hook_init(dev);
	if (!m->stats || !params || !table ||
	    gro_cells_init(&m->gro_cells, dev)) {
		map646_table_free(table);
		kfree(params);
		free_percpu(m->stats);
		return -ENOMEM;
	}
	mutex_init(&m->lock);
	RCU_INIT_POINTER(table->params, params);
	RCU_INIT_POINTER(m->table, table);
	map646_dev_table_changed(m);
	return 0;
}

/* Up: the hooks of the prerouting path start. */
static int map646_open(struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);
	u8 path;

	rcu_read_lock();
	path = rcu_dereference(rcu_dereference(m->table)->params)->cfg.path;
	rcu_read_unlock();
	return map646_hook_set(dev, path == MAP646_PATH_PREROUTING);
}

/* Down: the hooks stop, and no CPU runs them any more. */
static int map646_stop(struct net_device *dev)
{
	return map646_hook_set(dev, false);
}

/**
 * map646_dev_set_path() - make the hooks follow a new path setting
 * @dev: the device; RTNL held. May sleep.
 * @path: its new path, enum map646_path
 *
 * Return: 0, or the error that kept the hooks from starting.
 */
int map646_dev_set_path(struct net_device *dev, u8 path)
{
	return map646_hook_set(dev, netif_running(dev) &&
				    path == MAP646_PATH_PREROUTING);
}

/* Unregistered (closed first): no more transmits, the queues can go. */
static void map646_uninit(struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);

	gro_cells_destroy(&m->gro_cells);
}

/* Runs once the last reference is gone: nothing can reach the device. */
static void map646_destruct(struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);

	map646_table_free(rcu_dereference_protected(m->table, true));
	free_percpu(m->stats);
	mutex_destroy(&m->lock);
}

static const struct net_device_ops map646_netdev_ops = {
	.ndo_init = map646_init,
	.ndo_uninit = map646_uninit,
	.ndo_open = map646_open,
	.ndo_stop = map646_stop,
	.ndo_start_xmit = map646_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void map646_setup(struct net_device *dev)
{
	dev->netdev_ops = &map646_netdev_ops;
	dev->ethtool_ops = &map646_ethtool_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	map646_compat_set_lltx(dev);
	/* remembered routes and the table's routes belong to this namespace */
	map646_compat_set_netns_local(dev);
	dev->hard_header_len = 0;
	/*
	 * Local senders leave room for what 4to6 adds (IPv6 + Fragment header
	 * in place of IPv4) and for the link header after: no reallocation.
	 */
	dev->needed_headroom = LL_MAX_HEADER + sizeof(struct ipv6hdr) -
			       sizeof(struct iphdr) + MAP646_FRAG_HDR_LEN;
	dev->addr_len = 0;
	dev->mtu = MAP646_MTU;
	/* below 1280 the kernel would disable IPv6 on the device */
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	dev->features |= MAP646_FEATURES;
	dev->hw_features |= MAP646_FEATURES;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	/* ICMP errors about a packet need the route it came with */
	netif_keep_dst(dev);
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
