/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_TABLE_H
#define _MAP646_TABLE_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>

struct netlink_ext_ack;

/**
 * struct map646_entry - one mapping: a public IPv4 address <-> an IPv6 server
 * @node4: link in &map646_table.by4
 * @node6: link in &map646_table.by6
 * @list: link in &map646_table.entries (writers and dumps only)
 * @v4: the public IPv4 address
 * @v6: the server's IPv6 address
 * @rcu: deferred free
 */
struct map646_entry {
	struct rhash_head node4;
	struct rhash_head node6;
	struct list_head list;
	__be32 v4;
	struct in6_addr v6;
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

struct map646_table *map646_table_alloc(void);
void map646_table_free(struct map646_table *t);
int map646_table_add(struct map646_table *t, __be32 v4,
		     const struct in6_addr *v6, struct netlink_ext_ack *extack);
struct map646_entry *map646_table_find4(struct map646_table *t, __be32 v4);
struct map646_entry *map646_table_find6(struct map646_table *t,
					const struct in6_addr *v6);
void map646_table_del(struct map646_table *t, struct map646_entry *e);

#endif /* _MAP646_TABLE_H */
