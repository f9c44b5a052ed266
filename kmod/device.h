/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_DEVICE_H
#define _MAP646_DEVICE_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/u64_stats_sync.h>
#include <net/gro_cells.h>
#include <linux/map646.h>
#include "xlat.h"

struct map646_table;

/**
 * struct map646_stats - per-CPU counters, indexed by enum map646_stat
 * @cnt: the counters
 * @syncp: consistent 64-bit reads on 32-bit machines
 */
struct map646_stats {
	u64_stats_t cnt[__MAP646_STAT_LAST];
	struct u64_stats_sync syncp;
};

/**
 * struct map646_dev - private part of a map646 net_device
 * @lock: serialises configuration changes; never taken on the data path
 * @table: mapping table and settings, swapped whole on flush and replace
 * @stats: per-CPU translation and drop counters
 * @gro_cells: per-CPU receive queues of the re-injection path (GRO)
 * @hooks: its PRE_ROUTING hooks, IPv4 and IPv6 (hook.c)
 * @hooked: @hooks are registered (under RTNL)
 * @stats_base: @stats as they were at the last reset (under @lock)
 * @gen: changes whenever the table does (consistent dumps); unique
 *	 across devices so a recreated device never matches an old dump
 */
struct map646_dev {
	struct mutex lock;	/* writers of table and params */
	struct map646_table __rcu *table;
	struct map646_stats __percpu *stats;
	struct gro_cells gro_cells;
	struct nf_hook_ops hooks[2];
	bool hooked;
	u64 stats_base[__MAP646_STAT_LAST];
	u64 gen;
};

int map646_device_init(void);
void map646_device_uninit(void);
struct net_device *map646_dev_get(struct net *net, int ifindex,
				  const char *name);
void map646_dev_table_changed(struct map646_dev *m);
void map646_dev_stats_read(struct map646_dev *m, u64 *sum);
void map646_dev_finish(struct map646_dev *m, struct net_device *dev,
		       bool device_path, int stat, struct sk_buff *skb,
		       struct sk_buff_head *out);
int map646_dev_set_path(struct net_device *dev, u8 path);

#endif /* _MAP646_DEVICE_H */
