// SPDX-License-Identifier: GPL-2.0
/*
 * The mapping table: two resizable hash tables over the same entries, so a
 * lookup costs the same in either direction and at any table size.
 */
#include <linux/hash.h>
#include <linux/map646.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include "compat.h"
#include "table.h"

/* Entries come from a cache of their own: 72 bytes, not kmalloc's 96. */
static struct kmem_cache *entry_cache;

/* Key compares the compiler can inline, where the default calls memcmp(). */
static int cmp4(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct map646_entry *e = obj;

	return e->v4 != *(const __be32 *)arg->key;
}

static int cmp6(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct map646_entry *e = obj;

	return !ipv6_addr_equal(&e->v6, arg->key);
}

/*
 * Multiplicative hashes (hash_64(): the top bits of a product by the
 * golden ratio) under the table's random seed, in place of rhashtable's
 * default jhash2: a few instructions per key, where every 6to4 packet
 * hashes an IPv6 address, every 4to6 packet an IPv4 one, and a load or a
 * table growth hashes a million. The keys are the operator's addresses:
 * packets choose which chain is walked, never how long it is.
 */
static u32 hash4(const void *data, u32 len, u32 seed)
{
	return hash_64(*(const u32 *)data ^ seed, 32);
}

static u32 hash6(const void *data, u32 len, u32 seed)
{
	const u32 *w = data;
	u64 h = ((u64)w[0] << 32 | w[1]) ^ seed;

	/* every bit of the 128 reaches the top 32 of the last product */
	h = h * GOLDEN_RATIO_64 + ((u64)w[2] << 32 | w[3]);
	return hash_64(h ^ h >> 32, 32);
}

static const struct rhashtable_params by4_params = {
	.head_offset = offsetof(struct map646_entry, node4),
	.key_offset = offsetof(struct map646_entry, v4),
	.key_len = sizeof(__be32),
	.automatic_shrinking = true,
	.hashfn = hash4,
	.obj_cmpfn = cmp4,
};

static const struct rhashtable_params by6_params = {
	.head_offset = offsetof(struct map646_entry, node6),
	.key_offset = offsetof(struct map646_entry, v6),
	.key_len = sizeof(struct in6_addr),
	.automatic_shrinking = true,
	.hashfn = hash6,
	.obj_cmpfn = cmp6,
};

/**
 * map646_table_alloc() - allocate an empty table. May sleep.
 * @hint: expected number of entries (0: unknown), sizes the hash tables
 *
 * Return: the table, or NULL when out of memory.
 */
struct map646_table *map646_table_alloc(u32 hint)
{
	struct map646_table *t = kzalloc_obj(*t, GFP_KERNEL_ACCOUNT);
	struct rhashtable_params p4 = by4_params, p6 = by6_params;

	if (!t)
		return NULL;
	/* a hint is no promise (and rhashtable takes at most a u16 one) */
	p4.nelem_hint = min_t(u32, hint, U16_MAX);
	p6.nelem_hint = p4.nelem_hint;
	if (rhashtable_init(&t->by4, &p4))
		goto err_free;
	if (rhashtable_init(&t->by6, &p6))
		goto err_by4;
	INIT_LIST_HEAD(&t->entries);
	return t;

err_by4:
	rhashtable_destroy(&t->by4);
err_free:
	kfree(t);
	return NULL;
}

static void entry_free(struct map646_entry *e)
{
	if (!(e->ctr & MAP646_ENTRY_CTR_GIVEN))
		map646_ctr_put(e->ctr);
	map646_route6_release(&e->route6);
	kmem_cache_free(entry_cache, e);
}

static void entry_free_rcu(struct rcu_head *head)
{
	entry_free(container_of(head, struct map646_entry, rcu));
}

/**
 * map646_table_free() - free a table and its entries. May sleep.
 * @t: table no RCU reader can reach any more (after a grace period)
 */
void map646_table_free(struct map646_table *t)
{
	struct map646_entry *e, *tmp;

	if (!t)
		return;
	rhashtable_destroy(&t->by6);
	rhashtable_destroy(&t->by4);
	list_for_each_entry_safe(e, tmp, &t->entries, list) {
		entry_free(e);
		cond_resched();
	}
	map646_pfx_set_free(rcu_dereference_protected(t->pfx, true));
	map646_set66_free(rcu_dereference_protected(t->m66, true));
	kfree(rcu_dereference_protected(t->params, true));
	kfree(t);
}

/**
 * map646_table_add() - insert one mapping. Caller holds the writer lock.
 * @t: table
 * @v4: public IPv4 address
 * @v6: server IPv6 address
 * @extack: where to say why it was refused
 *
 * Return: 0; -EEXIST if either address is already mapped; -ENOSPC when the
 * table is full; -ENOMEM.
 */
int map646_table_add(struct map646_table *t, __be32 v4,
		     const struct in6_addr *v6, struct netlink_ext_ack *extack)
{
	struct map646_entry *e;
	int err;

	if (t->count >= MAP646_MAX_MAPPINGS) {
		NL_SET_ERR_MSG_MOD(extack, "mapping table is full");
		return -ENOSPC;
	}
	e = kmem_cache_zalloc(entry_cache, GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	if (map646_ctr_get(&e->ctr)) {
		kmem_cache_free(entry_cache, e);
		return -ENOMEM;
	}
	e->v4 = v4;
	e->v6 = *v6;

	err = rhashtable_lookup_insert_fast(&t->by4, &e->node4, by4_params);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG_MOD(extack, "IPv4 address is already mapped");
		goto err_free;
	}
	err = rhashtable_lookup_insert_fast(&t->by6, &e->node6, by6_params);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG_MOD(extack, "IPv6 address is already mapped");
		rhashtable_remove_fast(&t->by4, &e->node4, by4_params);
		/* a reader may have found it through by4 in the meantime */
		call_rcu(&e->rcu, entry_free_rcu);
		return err;
	}
	list_add_tail(&e->list, &t->entries);
	t->count++;
	return 0;

err_free:
	entry_free(e);
	return err;
}

/**
 * map646_table_find4() - look up by IPv4 address; any context
 * @t: table
 * @v4: address
 *
 * Return: the entry, or NULL.
 */
struct map646_entry *map646_table_find4(struct map646_table *t, __be32 v4)
{
	return rhashtable_lookup_fast(&t->by4, &v4, by4_params);
}

/**
 * map646_table_find6() - look up by IPv6 address; any context
 * @t: table
 * @v6: address
 *
 * Return: the entry, or NULL.
 */
struct map646_entry *map646_table_find6(struct map646_table *t,
					const struct in6_addr *v6)
{
	return rhashtable_lookup_fast(&t->by6, v6, by6_params);
}

/*
 * The data path's lookups, one per packet or two: flattened, so the hash
 * is inlined with its key length known (out of line, rhashtable calls its
 * generic hash through a function pointer), and without an RCU read
 * section of their own.
 */

/**
 * map646_table_lookup4() - look up by IPv4 address; data path
 * @t: table; the caller is an RCU reader
 * @v4: address
 *
 * Return: the entry, or NULL.
 */
__flatten struct map646_entry *map646_table_lookup4(struct map646_table *t,
						    __be32 v4)
{
	return rhashtable_lookup(&t->by4, &v4, by4_params);
}

/**
 * map646_table_lookup6() - look up by IPv6 address; data path
 * @t: table; the caller is an RCU reader
 * @v6: address
 *
 * Return: the entry, or NULL.
 */
__flatten struct map646_entry *map646_table_lookup6(struct map646_table *t,
						    const struct in6_addr *v6)
{
	return rhashtable_lookup(&t->by6, v6, by6_params);
}

/**
 * map646_table_del() - remove an entry. Caller holds the writer lock.
 * @t: table
 * @e: entry of @t; freed after a grace period
 */
void map646_table_del(struct map646_table *t, struct map646_entry *e)
{
	rhashtable_remove_fast(&t->by4, &e->node4, by4_params);
	rhashtable_remove_fast(&t->by6, &e->node6, by6_params);
	list_del(&e->list);
	t->count--;
	call_rcu(&e->rcu, entry_free_rcu);
}

/**
 * map646_table_adopt_stats() - carry counters over a table replace
 * @t: the new table, not yet visible to readers
 * @old: the table it replaces; caller holds the writer lock
 *
 * Every entry of @t that @old holds with the same two addresses takes over
 * the old entry's counters (packets still counted through @old land in the
 * same place); the old entry will not free them.
 */
void map646_table_adopt_stats(struct map646_table *t,
			      struct map646_table *old)
{
	bool walk_new = t->count <= old->count;
	struct map646_entry *e, *o, *w;

	/* walk the smaller table, look up in the other: a load after a flush */
	list_for_each_entry(w, walk_new ? &t->entries : &old->entries, list) {
		e = walk_new ? w : map646_table_find4(t, w->v4);
		o = walk_new ? map646_table_find4(old, w->v4) : w;
		if (!e || !o || (o->ctr & MAP646_ENTRY_CTR_GIVEN) ||
		    !ipv6_addr_equal(&o->v6, &e->v6))
			continue;
		map646_ctr_put(e->ctr);
		e->ctr = o->ctr;
		/* the data path may count through @o meanwhile: same id */
		WRITE_ONCE(o->ctr, o->ctr | MAP646_ENTRY_CTR_GIVEN);
		cond_resched();
	}
	if (map646_table_pfx(t))
		map646_pfx_adopt_stats(map646_table_pfx(t), map646_table_pfx(old));
	if (map646_table_set66(t))
		map646_set66_adopt_stats(map646_table_set66(t),
					 map646_table_set66(old));
}

/**
 * map646_table_reset_stats() - zero the counters of every entry
 * @t: table; caller holds the writer lock
 *
 * All or nothing: what can fail is done before anything is reset.
 *
 * Return: 0 or -ENOMEM.
 */
int map646_table_reset_stats(struct map646_table *t)
{
	struct map646_entry *e;
	int err;

	list_for_each_entry(e, &t->entries, list) {
		err = map646_ctr_prepare_reset(map646_entry_ctr(e));
		if (err)
			return err;
		cond_resched();
	}
	err = map646_pfx_prepare_reset(map646_table_pfx(t)) ?:
	      map646_set66_prepare_reset(map646_table_set66(t));
	if (err)
		return err;
	list_for_each_entry(e, &t->entries, list) {
		map646_ctr_reset(map646_entry_ctr(e));
		cond_resched();
	}
	map646_pfx_reset_stats(map646_table_pfx(t));
	map646_set66_reset_stats(map646_table_set66(t));
	return 0;
}

/**
 * map646_table_pfx() - the block mappings of a table
 * @t: table; under RCU or the writer lock
 *
 * Return: the set, or NULL while the table has none.
 */
struct map646_pfx_set *map646_table_pfx(struct map646_table *t)
{
	return rcu_dereference_check(t->pfx, true);
}

/**
 * map646_table_set66() - the map66 mappings of a table
 * @t: table; under RCU or the writer lock
 *
 * Return: the set, or NULL while the table has none.
 */
struct map646_set66 *map646_table_set66(struct map646_table *t)
{
	return rcu_dereference_check(t->m66, true);
}

/**
 * map646_table_count46() - IPv4 mappings of a table, blocks included
 * @t: table; writer lock held
 *
 * Return: their number.
 */
u32 map646_table_count46(struct map646_table *t)
{
	struct map646_pfx_set *p = map646_table_pfx(t);

	return t->count + (p ? p->count : 0);
}

/**
 * map646_table_count66() - map66 mappings of a table
 * @t: table; writer lock held
 *
 * Return: their number.
 */
u32 map646_table_count66(struct map646_table *t)
{
	struct map646_set66 *s = map646_table_set66(t);

	return s ? s->count : 0;
}

/**
 * map646_table_match4() - the mapping of an IPv4 address; data path
 * @t: table; the caller is an RCU reader
 * @v4: address
 * @f: what was found: the single-address mapping of @v4, else the longest
 *     block holding it
 *
 * Return: true if a mapping holds @v4.
 */
bool map646_table_match4(struct map646_table *t, __be32 v4,
			 struct map646_found *f)
{
	struct map646_pfx_set *s;

	f->v4 = v4;
	f->p = NULL;
	f->e = map646_table_lookup4(t, v4);
	if (likely(f->e)) {
		f->v6 = f->e->v6;
		return true;
	}
	s = map646_table_pfx(t);
	if (s)
		f->p = map646_pfx_find4(s, v4, &f->v6);
	return f->p;
}

/**
 * map646_table_match6() - the mapping of an IPv6 address; data path
 * @t: table; the caller is an RCU reader
 * @v6: address
 * @f: what was found, as for map646_table_match4()
 *
 * Return: true if a mapping holds @v6.
 */
bool map646_table_match6(struct map646_table *t, const struct in6_addr *v6,
			 struct map646_found *f)
{
	struct map646_pfx_set *s;

	f->v6 = *v6;
	f->p = NULL;
	f->e = map646_table_lookup6(t, v6);
	if (likely(f->e)) {
		f->v4 = f->e->v4;
		return true;
	}
	s = map646_table_pfx(t);
	if (s)
		f->p = map646_pfx_find6(s, v6, &f->v4);
	return f->p;
}

/* Is @a a map66 global address, or can it not become one? */
static int check_global(struct map646_table *t, const struct in6_addr *a,
			struct netlink_ext_ack *extack)
{
	struct map646_pfx_set *p = map646_table_pfx(t);
	__be32 v4;

	if (map646_table_find6(t, a)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "global address is the IPv6 side of a mapping");
		return -EEXIST;
	}
	if (p && map646_pfx_find6(p, a, &v4)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "global address is inside a mapped IPv6 block");
		return -EEXIST;
	}
	return 0;
}

/* Does a map66 global address fall into the IPv6 side of @m? */
static int check_globals(struct map646_table *t, const struct map646_eam *m,
			 struct netlink_ext_ack *extack)
{
	struct map646_set66 *s = map646_table_set66(t);
	struct map646_entry66 *e;
	__be32 v4;

	if (!s)
		return 0;
	if (m->len4 == 32) {
		if (!map646_set66_find_global(s, &m->v6))
			return 0;
	} else {
		list_for_each_entry(e, &s->entries, list)
			if (map646_eam_6to4(m, &e->global, &v4))
				goto clash;
		return 0;
	}
clash:
	NL_SET_ERR_MSG_MOD(extack,
			   "the IPv6 side holds the global address of a map66 mapping");
	return -EEXIST;
}

static bool table_full(struct map646_table *t, struct netlink_ext_ack *extack)
{
	if (map646_table_count46(t) + map646_table_count66(t) <
	    MAP646_MAX_MAPPINGS)
		return false;
	NL_SET_ERR_MSG_MOD(extack, "mapping table is full");
	return true;
}

/**
 * map646_table_check() - whether a mapping would clash with @t
 * @t: table; writer lock held
 * @s: the mapping, its addresses valid
 * @extack: where to say why
 *
 * An address may be in one mapping only, with two exceptions: a block
 * nested in another (the longer is more specific), and a map66 internal
 * address that is the IPv6 side of an IPv4 mapping too (one server with a
 * public IPv4 and a public IPv6 address).
 *
 * Return: 0, -EINVAL, -EEXIST or -ENOSPC.
 */
int map646_table_check(struct map646_table *t, const struct map646_spec *s,
		       struct netlink_ext_ack *extack)
{
	if (table_full(t, extack))
		return -ENOSPC;
	if (s->is66)
		return map646_set66_check(map646_table_set66(t), &s->global,
					  &s->internal, extack) ?:
		       check_global(t, &s->global, extack);
	if (s->eam.len4 < 32)
		return map646_pfx_check(map646_table_pfx(t), &s->eam, extack) ?:
		       check_globals(t, &s->eam, extack);
	if (map646_table_find4(t, s->eam.v4)) {
		NL_SET_ERR_MSG_MOD(extack, "IPv4 address is already mapped");
		return -EEXIST;
	}
	if (map646_table_find6(t, &s->eam.v6)) {
		NL_SET_ERR_MSG_MOD(extack, "IPv6 address is already mapped");
		return -EEXIST;
	}
	return check_globals(t, &s->eam, extack);
}

/**
 * map646_table_insert() - add a mapping of either kind. May sleep.
 * @t: table; writer lock held
 * @s: the mapping, its addresses valid
 * @extack: where to say why it was refused
 *
 * Return: 0 or what map646_table_check() returns; -ENOMEM.
 */
int map646_table_insert(struct map646_table *t, const struct map646_spec *s,
			struct netlink_ext_ack *extack)
{
	struct map646_set66 *m66;
	struct map646_pfx_set *p;
	int err;

	/*
	 * The common kind first: map646_table_add() refuses an address
	 * mapped already without a lookup of its own (a load inserts
	 * millions).
	 */
	if (!s->is66 && s->eam.len4 == 32)
		return table_full(t, extack) ? -ENOSPC :
		       check_globals(t, &s->eam, extack) ?:
		       map646_table_add(t, s->eam.v4, &s->eam.v6, extack);
	err = map646_table_check(t, s, extack);
	if (err)
		return err;
	if (!s->is66) {
		p = map646_table_pfx(t);
		if (!p) {
			p = map646_pfx_set_alloc();
			if (!p)
				return -ENOMEM;
			rcu_assign_pointer(t->pfx, p);
		}
		return map646_pfx_add(p, &s->eam, extack);
	}
	m66 = map646_table_set66(t);
	if (!m66) {
		m66 = map646_set66_alloc();
		if (!m66)
			return -ENOMEM;
		rcu_assign_pointer(t->m66, m66);
	}
	return map646_set66_add(m66, &s->global, &s->internal, extack);
}

/**
 * map646_table_remove() - take out the mapping map646_table_insert() added
 * @t: table; writer lock held
 * @s: what was inserted
 */
void map646_table_remove(struct map646_table *t, const struct map646_spec *s)
{
	struct map646_entry66 *e66;
	struct map646_entry *e;
	struct map646_pfx *p;

	if (s->is66) {
		e66 = map646_set66_find_global(map646_table_set66(t), &s->global);
		if (e66)
			map646_set66_del(map646_table_set66(t), e66);
	} else if (s->eam.len4 < 32) {
		p = map646_pfx_exact4(map646_table_pfx(t), s->eam.v4,
				      s->eam.len4);
		if (p)
			map646_pfx_del(map646_table_pfx(t), p);
	} else {
		e = map646_table_find4(t, s->eam.v4);
		if (e)
			map646_table_del(t, e);
	}
}

/**
 * map646_cfg_default() - the settings of a new device
 * @cfg: filled with them (see MAP646_CMD_CONFIG_SET in the uapi header)
 */
void map646_cfg_default(struct map646_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->lowest_ipv6_mtu = IPV6_MIN_MTU;
	cfg->tos_copy = true;
	cfg->icmp_reply = true;
	cfg->path = MAP646_PATH_PREROUTING;
}

/**
 * map646_table_init() - create the entry cache and the counter caches
 *
 * Return: 0 or -ENOMEM.
 */
int map646_table_init(void)
{
	int err = map646_ctr_init();

	if (err)
		return err;
	entry_cache = KMEM_CACHE(map646_entry, SLAB_ACCOUNT);
	if (!entry_cache) {
		map646_ctr_exit();
		return -ENOMEM;
	}
	return 0;
}

/**
 * map646_table_exit() - destroy the caches once every table is gone
 */
void map646_table_exit(void)
{
	/* entries deleted one by one are freed by RCU callbacks */
	rcu_barrier();
	kmem_cache_destroy(entry_cache);
	/* counter blocks went in RCU callbacks of the entries' callbacks */
	rcu_barrier();
	map646_ctr_exit();
}
