/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_TABLE_H
#define _MAP646_TABLE_H

#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>

struct netlink_ext_ack;

/* Directions of a mapping's counters. */
enum {
	MAP646_DIR_4TO6,
	MAP646_DIR_6TO4,
	MAP646_DIRS
};

/**
 * struct map646_map_stats - per-CPU counters of one mapping
 * @pkts: packets translated, per direction
 * @bytes: their length as they reached the device, per direction
 * @last: jiffies of this CPU's last translated packet
 * @syncp: consistent 64-bit reads on 32-bit machines
 */
struct map646_map_stats {
	u64_stats_t pkts[MAP646_DIRS];
	u64_stats_t bytes[MAP646_DIRS];
	unsigned long last;
	struct u64_stats_sync syncp;
};

/**
 * struct map646_map_counters - a mapping's counters, summed over the CPUs
 * @pkts: packets per direction
 * @bytes: bytes per direction
 * @last: jiffies of the last packet (meaningful when a packet was counted)
 */
struct map646_map_counters {
	u64 pkts[MAP646_DIRS];
	u64 bytes[MAP646_DIRS];
	unsigned long last;
};

/**
 * struct map646_entry - one mapping: a public IPv4 address <-> an IPv6 server
 * @node4: link in &map646_table.by4
 * @node6: link in &map646_table.by6
 * @list: link in &map646_table.entries (writers and dumps only)
 * @v4: the public IPv4 address
 * @v6: the server's IPv6 address
 * @stats: per-CPU counters; shared with the entry that replaced this one
 *	in a table replace, which then owns them
 * @base: the counters as they were at the last reset (writer lock)
 * @stats_given: @stats now belong to another entry: do not free them
 * @rcu: deferred free
 */
struct map646_entry {
	struct rhash_head node4;
	struct rhash_head node6;
	struct list_head list;
	__be32 v4;
	struct in6_addr v6;
	struct map646_map_stats __percpu *stats;
	struct map646_map_counters base;
	bool stats_given;
	struct rcu_head rcu;
};

/**
 * struct map646_table - the mappings of one device, hashed both ways
 * @by4: entries keyed by IPv4 address
 * @by6: entries keyed by IPv6 address
 * @entries: every entry, in insertion order, for dumps
 * @count: number of entries
 *
 * Readers look up under RCU only. Writers are serialised by the owner (the
 * device's mutex); a table is replaced whole by swapping the owner's RCU
 * pointer and freeing the old one after a grace period.
 */
struct map646_table {
	struct rhashtable by4;
	struct rhashtable by6;
	struct list_head entries;
	u32 count;
};

/**
 * map646_entry_count() - count one translated packet; data path, BH off
 * @e: the mapping that translated it
 * @dir: MAP646_DIR_4TO6 or MAP646_DIR_6TO4
 * @len: its length as it reached the device
 */
static inline void map646_entry_count(const struct map646_entry *e, int dir,
				      unsigned int len)
{
	struct map646_map_stats *s = this_cpu_ptr(e->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->pkts[dir]);
	u64_stats_add(&s->bytes[dir], len);
	u64_stats_update_end(&s->syncp);
	WRITE_ONCE(s->last, jiffies);
}

struct map646_table *map646_table_alloc(u32 hint);
void map646_table_free(struct map646_table *t);
int map646_table_add(struct map646_table *t, __be32 v4,
		     const struct in6_addr *v6, struct netlink_ext_ack *extack);
struct map646_entry *map646_table_find4(struct map646_table *t, __be32 v4);
struct map646_entry *map646_table_find6(struct map646_table *t,
					const struct in6_addr *v6);
void map646_table_del(struct map646_table *t, struct map646_entry *e);
void map646_table_adopt_stats(struct map646_table *t,
			      struct map646_table *old);
void map646_table_reset_stats(struct map646_table *t);
bool map646_entry_counters(const struct map646_entry *e,
			   struct map646_map_counters *c);

#endif /* _MAP646_TABLE_H */
