/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_TABLE_H
#define _MAP646_TABLE_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include "counters.h"
#include "map66.h"
#include "prefix.h"
#include "route.h"
#include "xlat.h"

struct netlink_ext_ack;

/* In &map646_entry.ctr: the counter now belongs to another entry. */
#define MAP646_ENTRY_CTR_GIVEN	BIT(31)

/**
 * struct map646_entry - one mapping: a public IPv4 address <-> an IPv6 server
 * @node4: link in &map646_table.by4
 * @v4: the public IPv4 address
 * @ctr: id of its counter (counters.c); %MAP646_ENTRY_CTR_GIVEN once the
 *	 entry that replaces it in a table replace owns the counter (which
 *	 it then does not free)
 * @v6: the server's IPv6 address
 * @route6: the route to @v6, remembered for the packets that follow
 * @node6: link in &map646_table.by6
 * @list: link in &map646_table.entries (writers and dumps only)
 * @rcu: deferred free, once off @list
 *
 * 72 bytes on 64-bit machines. The first 64 hold everything a translation
 * reads or writes in either direction: the hash links, both keys, the
 * counter id and the route.
 */
struct map646_entry {
	struct rhash_head node4;
	__be32 v4;
	u32 ctr;
	struct in6_addr v6;
	struct map646_route6 route6;
	struct rhash_head node6;
	union {
		struct list_head list;
		struct rcu_head rcu;
	};
};

/**
 * struct map646_params - settings of a device, replaced whole under RCU
 * @cfg: the settings
 * @rcu: deferred free
 */
struct map646_params {
	struct map646_cfg cfg;
	struct rcu_head rcu;
};

/**
 * struct map646_table - the mappings of one device, hashed both ways, and
 *	the settings they are translated with
 * @by4: entries keyed by IPv4 address
 * @by6: entries keyed by IPv6 address
 * @entries: every entry, in insertion order, for dumps
 * @params: the settings; the table owns them (freed with it)
 * @count: number of entries
 * @pfx: block mappings (RFC 7757); NULL until the table holds one
 * @m66: map66 mappings; NULL until the table holds one
 *
 * Readers look up under RCU only. Writers are serialised by the owner (the
 * device's mutex); a table is replaced whole by swapping the owner's RCU
 * pointer and freeing the old one after a grace period. Settings hang off
 * the table so that a reader that found the table finds the settings that
 * go with it: a replace of both is one pointer swap.
 */
struct map646_table {
	struct rhashtable by4;
	struct rhashtable by6;
	struct list_head entries;
	struct map646_params __rcu *params;
	u32 count;
	struct map646_pfx_set __rcu *pfx;
	struct map646_set66 __rcu *m66;
};

/**
 * struct map646_found - the mapping an address lookup found
 * @e: the single-address mapping, or NULL
 * @p: else the block mapping holding the address
 * @v6: the IPv6 address of the mapping (at the same place in the block)
 * @v4: the IPv4 address
 */
struct map646_found {
	struct map646_entry *e;
	const struct map646_pfx *p;
	struct in6_addr v6;
	__be32 v4;
};

/**
 * struct map646_spec - a mapping to add, of either kind
 * @is66: a map66 mapping (@global, @internal), else an IPv4 one (@eam)
 * @eam: IPv4 and IPv6 sides; @eam.len4 32: one address each (@eam.len6
 *	 128)
 * @global: map66 global address
 * @internal: map66 internal address
 */
struct map646_spec {
	bool is66;
	struct map646_eam eam;
	struct in6_addr global;
	struct in6_addr internal;
};

/**
 * map646_entry_ctr() - the id of a mapping's counter
 * @e: the mapping
 *
 * Return: the id, without %MAP646_ENTRY_CTR_GIVEN.
 */
static inline u32 map646_entry_ctr(const struct map646_entry *e)
{
	return READ_ONCE(e->ctr) & ~MAP646_ENTRY_CTR_GIVEN;
}

/**
 * map646_entry_count() - count one translated packet; data path, BH off
 * @e: the mapping that translated it
 * @dir: MAP646_DIR_4TO6 or MAP646_DIR_6TO4
 * @len: its length as it reached the translator
 */
static inline void map646_entry_count(const struct map646_entry *e, int dir,
				      unsigned int len)
{
	map646_ctr_count(map646_entry_ctr(e), dir, len);
}

/**
 * map646_found_count() - count one translated packet on its mapping
 * @f: what the lookup found
 * @dir: MAP646_DIR_4TO6 or MAP646_DIR_6TO4
 * @len: its length as it reached the device
 */
static inline void map646_found_count(const struct map646_found *f, int dir,
				      unsigned int len)
{
	if (likely(f->e))
		map646_entry_count(f->e, dir, len);
	else
		map646_ctr_count(f->p->ctr, dir, len);
}

/**
 * map646_found_route6() - the remembered route to the IPv6 side
 * @f: what the lookup found
 *
 * Return: the route cache of a single-address mapping; NULL for a block
 * (its addresses do not share one route).
 */
static inline struct map646_route6 *map646_found_route6(struct map646_found *f)
{
	return f->e ? &f->e->route6 : NULL;
}

int map646_table_init(void);
void map646_cfg_default(struct map646_cfg *cfg);
void map646_table_exit(void);
struct map646_table *map646_table_alloc(u32 hint);
void map646_table_free(struct map646_table *t);
int map646_table_add(struct map646_table *t, __be32 v4,
		     const struct in6_addr *v6, struct netlink_ext_ack *extack);
struct map646_entry *map646_table_find4(struct map646_table *t, __be32 v4);
struct map646_entry *map646_table_find6(struct map646_table *t,
					const struct in6_addr *v6);
struct map646_entry *map646_table_lookup4(struct map646_table *t, __be32 v4);
struct map646_entry *map646_table_lookup6(struct map646_table *t,
					  const struct in6_addr *v6);
void map646_table_del(struct map646_table *t, struct map646_entry *e);
bool map646_table_match4(struct map646_table *t, __be32 v4,
			 struct map646_found *f);
bool map646_table_match6(struct map646_table *t, const struct in6_addr *v6,
			 struct map646_found *f);
struct map646_set66 *map646_table_set66(struct map646_table *t);
struct map646_pfx_set *map646_table_pfx(struct map646_table *t);
u32 map646_table_count46(struct map646_table *t);
u32 map646_table_count66(struct map646_table *t);
int map646_table_check(struct map646_table *t, const struct map646_spec *s,
		       struct netlink_ext_ack *extack);
int map646_table_insert(struct map646_table *t, const struct map646_spec *s,
			struct netlink_ext_ack *extack);
void map646_table_remove(struct map646_table *t, const struct map646_spec *s);
void map646_table_adopt_stats(struct map646_table *t,
			      struct map646_table *old);
int map646_table_reset_stats(struct map646_table *t);

#endif /* _MAP646_TABLE_H */
