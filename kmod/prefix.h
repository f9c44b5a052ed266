/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_PREFIX_H
#define _MAP646_PREFIX_H

#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include "counters.h"
#include "rfc7757.h"

struct netlink_ext_ack;

/* Hash keys: a block is its masked address and its length. */
struct map646_pfx_key4 {
	__be32 addr;
	u32 len;
};

struct map646_pfx_key6 {
	struct in6_addr addr;
	u32 len;
};

/**
 * struct map646_pfx - a mapping of two address blocks (RFC 7757)
 * @node4: link in &map646_pfx_set.by4
 * @node6: link in &map646_pfx_set.by6
 * @k4: the IPv4 block
 * @k6: the IPv6 block
 * @eam: both, for the address arithmetic
 * @ctr: id of its counter (counters.c)
 * @stats_given: the counters belong to the entry that replaced this one
 * @list: link in &map646_pfx_set.entries
 * @rcu: deferred free
 */
struct map646_pfx {
	struct rhash_head node4;
	struct rhash_head node6;
	struct map646_pfx_key4 k4;
	struct map646_pfx_key6 k6;
	struct map646_eam eam;
	u32 ctr;
	bool stats_given;
	struct list_head list;
	struct rcu_head rcu;
};

/**
 * struct map646_pfx_set - the block mappings of a table
 * @by4: entries keyed by IPv4 block
 * @by6: entries keyed by IPv6 block
 * @entries: every entry, in insertion order
 * @count: their number
 * @n4: entries per IPv4 prefix length
 * @n6: entries per IPv6 prefix length
 * @lens4: the IPv4 prefix lengths in use: a lookup tries these only,
 *	   longest first
 * @lens6: the IPv6 prefix lengths in use
 *
 * Readers under RCU, writers under the table owner's lock, as for the
 * table itself.
 */
struct map646_pfx_set {
	struct rhashtable by4;
	struct rhashtable by6;
	struct list_head entries;
	u32 count;
	u32 n4[33];
	u32 n6[129];
	DECLARE_BITMAP(lens4, 33);
	DECLARE_BITMAP(lens6, 129);
};

struct map646_pfx_set *map646_pfx_set_alloc(void);
void map646_pfx_set_free(struct map646_pfx_set *s);
const struct map646_pfx *map646_pfx_find4(struct map646_pfx_set *s,
					  __be32 v4, struct in6_addr *v6);
const struct map646_pfx *map646_pfx_find6(struct map646_pfx_set *s,
					  const struct in6_addr *v6,
					  __be32 *v4);
struct map646_pfx *map646_pfx_exact4(struct map646_pfx_set *s, __be32 v4,
				     u8 len);
struct map646_pfx *map646_pfx_exact6(struct map646_pfx_set *s,
				     const struct in6_addr *v6, u8 len);
int map646_pfx_check(struct map646_pfx_set *s, const struct map646_eam *m,
		     struct netlink_ext_ack *extack);
int map646_pfx_add(struct map646_pfx_set *s, const struct map646_eam *m,
		   struct netlink_ext_ack *extack);
void map646_pfx_del(struct map646_pfx_set *s, struct map646_pfx *p);
void map646_pfx_adopt_stats(struct map646_pfx_set *s,
			    struct map646_pfx_set *old);
int map646_pfx_prepare_reset(struct map646_pfx_set *s);
void map646_pfx_reset_stats(struct map646_pfx_set *s);

#endif /* _MAP646_PREFIX_H */
