/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_MAP66_H
#define _MAP646_MAP66_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include "counters.h"

struct netlink_ext_ack;

/**
 * struct map646_entry66 - one map66 mapping: a global IPv6 address <-> an
 * internal one (the original map646's map66-static)
 * @node_g: link in &map646_set66.by_global
 * @node_i: link in &map646_set66.by_internal
 * @global: the address the world sends to
 * @internal: the server's own address
 * @ctr: id of its counter (counters.c; MAP646_DIR_4TO6: towards @internal)
 * @stats_given: the counters belong to the entry that replaced this one
 * @list: link in &map646_set66.entries
 * @rcu: deferred free
 */
struct map646_entry66 {
	struct rhash_head node_g;
	struct rhash_head node_i;
	struct in6_addr global;
	struct in6_addr internal;
	u32 ctr;
	bool stats_given;
	struct list_head list;
	struct rcu_head rcu;
};

/**
 * struct map646_set66 - the map66 mappings of a table
 * @by_global: entries keyed by global address
 * @by_internal: entries keyed by internal address
 * @entries: every entry, in insertion order
 * @count: their number
 */
struct map646_set66 {
	struct rhashtable by_global;
	struct rhashtable by_internal;
	struct list_head entries;
	u32 count;
};

/**
 * map646_entry66_count() - count one rewritten packet; data path, BH off
 * @e: the mapping
 * @dir: MAP646_DIR_4TO6 (towards the internal address) or MAP646_DIR_6TO4
 * @len: its length as it reached the device
 */
static inline void map646_entry66_count(const struct map646_entry66 *e,
					int dir, unsigned int len)
{
	map646_ctr_count(e->ctr, dir, len);
}

struct map646_set66 *map646_set66_alloc(void);
void map646_set66_free(struct map646_set66 *s);
struct map646_entry66 *map646_set66_find_global(struct map646_set66 *s,
						const struct in6_addr *a);
struct map646_entry66 *map646_set66_find_internal(struct map646_set66 *s,
						  const struct in6_addr *a);
int map646_set66_check(struct map646_set66 *s, const struct in6_addr *global,
		       const struct in6_addr *internal,
		       struct netlink_ext_ack *extack);
int map646_set66_add(struct map646_set66 *s, const struct in6_addr *global,
		     const struct in6_addr *internal,
		     struct netlink_ext_ack *extack);
void map646_set66_del(struct map646_set66 *s, struct map646_entry66 *e);
void map646_set66_adopt_stats(struct map646_set66 *s,
			      struct map646_set66 *old);
int map646_set66_prepare_reset(struct map646_set66 *s);
void map646_set66_reset_stats(struct map646_set66 *s);

#endif /* _MAP646_MAP66_H */
