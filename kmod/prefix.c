// SPDX-License-Identifier: GPL-2.0
/*
 * Block mappings (RFC 7757): one hash table per family keyed by prefix
 * and length, looked up once per prefix length in use, longest first. A
 * table only has them once it holds one, so single-address lookups pay
 * nothing for them.
 */
#include <linux/map646.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include "compat.h"
#include "prefix.h"

static const struct rhashtable_params by4_params = {
	.head_offset = offsetof(struct map646_pfx, node4),
	.key_offset = offsetof(struct map646_pfx, k4),
	.key_len = sizeof(struct map646_pfx_key4),
	.automatic_shrinking = true,
};

static const struct rhashtable_params by6_params = {
	.head_offset = offsetof(struct map646_pfx, node6),
	.key_offset = offsetof(struct map646_pfx, k6),
	.key_len = sizeof(struct map646_pfx_key6),
	.automatic_shrinking = true,
};

/**
 * map646_pfx_set_alloc() - an empty set of block mappings. May sleep.
 *
 * Return: the set, or NULL when out of memory.
 */
struct map646_pfx_set *map646_pfx_set_alloc(void)
{
	struct map646_pfx_set *s = kzalloc_obj(*s, GFP_KERNEL_ACCOUNT);

	if (!s)
		return NULL;
	if (rhashtable_init(&s->by4, &by4_params))
		goto err_free;
	if (rhashtable_init(&s->by6, &by6_params))
		goto err_by4;
	INIT_LIST_HEAD(&s->entries);
	return s;

err_by4:
	rhashtable_destroy(&s->by4);
err_free:
	kfree(s);
	return NULL;
}

static void pfx_free(struct map646_pfx *p)
{
	if (!p->stats_given)
		map646_ctr_put(p->ctr);
	kfree(p);
}

static void pfx_free_rcu(struct rcu_head *head)
{
	pfx_free(container_of(head, struct map646_pfx, rcu));
}

/**
 * map646_pfx_set_free() - free a set no reader can reach. May sleep.
 * @s: the set, or NULL
 */
void map646_pfx_set_free(struct map646_pfx_set *s)
{
	struct map646_pfx *p, *tmp;

	if (!s)
		return;
	rhashtable_destroy(&s->by6);
	rhashtable_destroy(&s->by4);
	list_for_each_entry_safe(p, tmp, &s->entries, list)
		pfx_free(p);
	kfree(s);
}

/**
 * map646_pfx_exact4() - the entry whose IPv4 block is exactly @v4/@len
 * @s: set
 * @v4: block address, bits past @len zero
 * @len: prefix length
 *
 * Return: the entry, or NULL.
 */
struct map646_pfx *map646_pfx_exact4(struct map646_pfx_set *s, __be32 v4,
				     u8 len)
{
	struct map646_pfx_key4 k = { v4, len };

	return rhashtable_lookup_fast(&s->by4, &k, by4_params);
}

/**
 * map646_pfx_exact6() - the entry whose IPv6 block is exactly @v6/@len
 * @s: set
 * @v6: block address, bits past @len zero
 * @len: prefix length
 *
 * Return: the entry, or NULL.
 */
struct map646_pfx *map646_pfx_exact6(struct map646_pfx_set *s,
				     const struct in6_addr *v6, u8 len)
{
	struct map646_pfx_key6 k = { *v6, len };

	return rhashtable_lookup_fast(&s->by6, &k, by6_params);
}

/* The longest length in use shorter than @len; @size when there is none. */
static unsigned long len_below(const unsigned long *b, unsigned long size,
			       unsigned long len)
{
	unsigned long below = len ? find_last_bit(b, len) : len;

	/* find_last_bit() answers its size, here @len, when none is set */
	return below < len ? below : size;
}

/**
 * map646_pfx_find4() - the longest block holding an IPv4 address; RCU
 * @s: set
 * @v4: the address
 * @v6: its counterpart in the entry's IPv6 block
 *
 * Return: the entry, or NULL.
 */
const struct map646_pfx *map646_pfx_find4(struct map646_pfx_set *s,
					  __be32 v4, struct in6_addr *v6)
{
	const struct map646_pfx *p;
	unsigned long len;

	for (len = find_last_bit(s->lens4, 33); len < 33;
	     len = len_below(s->lens4, 33, len)) {
		p = map646_pfx_exact4(s, map646_prefix4_mask(v4, len), len);
		if (p) {
			map646_eam_4to6(&p->eam, v4, v6);
			return p;
		}
	}
	return NULL;
}

/**
 * map646_pfx_find6() - the longest block holding an IPv6 address; RCU
 * @s: set
 * @v6: the address
 * @v4: its counterpart in the entry's IPv4 block
 *
 * Return: the entry, or NULL.
 */
const struct map646_pfx *map646_pfx_find6(struct map646_pfx_set *s,
					  const struct in6_addr *v6,
					  __be32 *v4)
{
	const struct map646_pfx *p;
	struct in6_addr cut;
	unsigned long len;

	for (len = find_last_bit(s->lens6, 129); len < 129;
	     len = len_below(s->lens6, 129, len)) {
		map646_prefix6_mask(v6, len, &cut);
		p = map646_pfx_exact6(s, &cut, len);
		if (p && map646_eam_6to4(&p->eam, v6, v4))
			return p;
	}
	return NULL;
}

/**
 * map646_pfx_check() - whether a block mapping would clash; writer lock
 * @s: set, or NULL
 * @m: valid mapping
 * @extack: where to say why
 *
 * Nested blocks are allowed (the longer one is more specific, RFC 7757
 * section 4); the same block twice is not.
 *
 * Return: 0 or -EEXIST.
 */
int map646_pfx_check(struct map646_pfx_set *s, const struct map646_eam *m,
		     struct netlink_ext_ack *extack)
{
	if (s && map646_pfx_exact4(s, m->v4, m->len4)) {
		NL_SET_ERR_MSG_MOD(extack, "IPv4 block is already mapped");
		return -EEXIST;
	}
	if (s && map646_pfx_exact6(s, &m->v6, m->len6)) {
		NL_SET_ERR_MSG_MOD(extack, "IPv6 block is already mapped");
		return -EEXIST;
	}
	return 0;
}

static void lens_update(struct map646_pfx_set *s, const struct map646_pfx *p,
			int delta)
{
	s->n4[p->k4.len] += delta;
	s->n6[p->k6.len] += delta;
	if (s->n4[p->k4.len])
		set_bit(p->k4.len, s->lens4);
	else
		clear_bit(p->k4.len, s->lens4);
	if (s->n6[p->k6.len])
		set_bit(p->k6.len, s->lens6);
	else
		clear_bit(p->k6.len, s->lens6);
}

/**
 * map646_pfx_add() - insert a block mapping; writer lock held. May sleep.
 * @s: set
 * @m: valid mapping (map646_eam_check())
 * @extack: where to say why it was refused
 *
 * Return: 0, -EEXIST or -ENOMEM.
 */
int map646_pfx_add(struct map646_pfx_set *s, const struct map646_eam *m,
		   struct netlink_ext_ack *extack)
{
	struct map646_pfx *p;
	int err;

	err = map646_pfx_check(s, m, extack);
	if (err)
		return err;
	p = kzalloc_obj(*p, GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	if (map646_ctr_get(&p->ctr)) {
		kfree(p);
		return -ENOMEM;
	}
	p->eam = *m;
	p->k4.addr = m->v4;
	p->k4.len = m->len4;
	p->k6.addr = m->v6;
	p->k6.len = m->len6;
	err = rhashtable_insert_fast(&s->by4, &p->node4, by4_params);
	if (err) {
		pfx_free(p);
		return err;
	}
	err = rhashtable_insert_fast(&s->by6, &p->node6, by6_params);
	if (err) {
		rhashtable_remove_fast(&s->by4, &p->node4, by4_params);
		call_rcu(&p->rcu, pfx_free_rcu);
		return err;
	}
	list_add_tail(&p->list, &s->entries);
	s->count++;
	lens_update(s, p, 1);
	return 0;
}

/**
 * map646_pfx_del() - remove an entry; writer lock held
 * @s: set
 * @p: entry of @s, freed after a grace period
 */
void map646_pfx_del(struct map646_pfx_set *s, struct map646_pfx *p)
{
	rhashtable_remove_fast(&s->by4, &p->node4, by4_params);
	rhashtable_remove_fast(&s->by6, &p->node6, by6_params);
	list_del(&p->list);
	s->count--;
	lens_update(s, p, -1);
	call_rcu(&p->rcu, pfx_free_rcu);
}

/**
 * map646_pfx_adopt_stats() - carry counters over a table replace
 * @s: the new set, not yet visible to readers
 * @old: the set it replaces, or NULL; writer lock held
 */
void map646_pfx_adopt_stats(struct map646_pfx_set *s,
			    struct map646_pfx_set *old)
{
	struct map646_pfx *p, *o;

	list_for_each_entry(p, &s->entries, list) {
		o = old ? map646_pfx_exact4(old, p->k4.addr, p->k4.len) : NULL;
		if (!o || o->stats_given || o->k6.len != p->k6.len ||
		    !ipv6_addr_equal(&o->k6.addr, &p->k6.addr))
			continue;
		map646_ctr_put(p->ctr);
		p->ctr = o->ctr;
		o->stats_given = true;
	}
}

/**
 * map646_pfx_prepare_reset() - make map646_pfx_reset_stats() unable to fail
 * @s: set, or NULL. May sleep.
 *
 * Return: 0 or -ENOMEM.
 */
int map646_pfx_prepare_reset(struct map646_pfx_set *s)
{
	struct map646_pfx *p;
	int err;

	if (!s)
		return 0;
	list_for_each_entry(p, &s->entries, list) {
		err = map646_ctr_prepare_reset(p->ctr);
		if (err)
			return err;
	}
	return 0;
}

/**
 * map646_pfx_reset_stats() - zero the counters of every entry
 * @s: set prepared with map646_pfx_prepare_reset(), or NULL
 */
void map646_pfx_reset_stats(struct map646_pfx_set *s)
{
	struct map646_pfx *p;

	if (!s)
		return;
	list_for_each_entry(p, &s->entries, list)
		map646_ctr_reset(p->ctr);
}
