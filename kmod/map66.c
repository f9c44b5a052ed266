// SPDX-License-Identifier: GPL-2.0
/*
 * The map66 mappings of a table: two hash tables over the same entries,
 * by global and by internal address. A table has them only once it holds
 * one, so the IPv4 mappings pay nothing for them.
 */
#include <linux/map646.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include "compat.h"
#include "map66.h"

static int cmp_global(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct map646_entry66 *e = obj;

	return !ipv6_addr_equal(&e->global, arg->key);
}

static int cmp_internal(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct map646_entry66 *e = obj;

	return !ipv6_addr_equal(&e->internal, arg->key);
}

static const struct rhashtable_params global_params = {
	.head_offset = offsetof(struct map646_entry66, node_g),
	.key_offset = offsetof(struct map646_entry66, global),
	.key_len = sizeof(struct in6_addr),
	.automatic_shrinking = true,
	.obj_cmpfn = cmp_global,
};

static const struct rhashtable_params internal_params = {
	.head_offset = offsetof(struct map646_entry66, node_i),
	.key_offset = offsetof(struct map646_entry66, internal),
	.key_len = sizeof(struct in6_addr),
	.automatic_shrinking = true,
	.obj_cmpfn = cmp_internal,
};

/**
 * map646_set66_alloc() - an empty set of map66 mappings. May sleep.
 *
 * Return: the set, or NULL when out of memory.
 */
struct map646_set66 *map646_set66_alloc(void)
{
	struct map646_set66 *s = kzalloc_obj(*s, GFP_KERNEL_ACCOUNT);

	if (!s)
		return NULL;
	if (rhashtable_init(&s->by_global, &global_params))
		goto err_free;
	if (rhashtable_init(&s->by_internal, &internal_params))
		goto err_global;
	INIT_LIST_HEAD(&s->entries);
	return s;

err_global:
	rhashtable_destroy(&s->by_global);
err_free:
	kfree(s);
	return NULL;
}

static void entry66_free(struct map646_entry66 *e)
{
	if (!e->stats_given)
		map646_ctr_put(e->ctr);
	kfree(e);
}

static void entry66_free_rcu(struct rcu_head *head)
{
	entry66_free(container_of(head, struct map646_entry66, rcu));
}

/**
 * map646_set66_free() - free a set no reader can reach. May sleep.
 * @s: the set, or NULL
 */
void map646_set66_free(struct map646_set66 *s)
{
	struct map646_entry66 *e, *tmp;

	if (!s)
		return;
	rhashtable_destroy(&s->by_internal);
	rhashtable_destroy(&s->by_global);
	list_for_each_entry_safe(e, tmp, &s->entries, list)
		entry66_free(e);
	kfree(s);
}

/**
 * map646_set66_find_global() - the mapping of a global address; any context
 * @s: set
 * @a: the address
 *
 * Return: the entry, or NULL.
 */
struct map646_entry66 *map646_set66_find_global(struct map646_set66 *s,
						const struct in6_addr *a)
{
	return rhashtable_lookup_fast(&s->by_global, a, global_params);
}

/**
 * map646_set66_find_internal() - the mapping of an internal address
 * @s: set
 * @a: the address
 *
 * Return: the entry, or NULL.
 */
struct map646_entry66 *map646_set66_find_internal(struct map646_set66 *s,
						  const struct in6_addr *a)
{
	return rhashtable_lookup_fast(&s->by_internal, a, internal_params);
}

/* Is @a either address of a mapping of @s? */
static bool taken(struct map646_set66 *s, const struct in6_addr *a)
{
	return map646_set66_find_global(s, a) ||
	       map646_set66_find_internal(s, a);
}

/**
 * map646_set66_check() - whether a map66 mapping would clash in @s
 * @s: set, or NULL; writer lock held
 * @global: global address
 * @internal: internal address
 * @extack: where to say why
 *
 * Return: 0, -EINVAL (the two are equal) or -EEXIST.
 */
int map646_set66_check(struct map646_set66 *s, const struct in6_addr *global,
		       const struct in6_addr *internal,
		       struct netlink_ext_ack *extack)
{
	if (ipv6_addr_equal(global, internal)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "global and internal address are the same");
		return -EINVAL;
	}
	if (s && taken(s, global)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "global address is already in a map66 mapping");
		return -EEXIST;
	}
	if (s && taken(s, internal)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "internal address is already in a map66 mapping");
		return -EEXIST;
	}
	return 0;
}

/**
 * map646_set66_add() - insert a map66 mapping; writer lock held. May sleep.
 * @s: set
 * @global: global address
 * @internal: internal address
 * @extack: where to say why it was refused
 *
 * Return: 0, -EINVAL, -EEXIST or -ENOMEM.
 */
int map646_set66_add(struct map646_set66 *s, const struct in6_addr *global,
		     const struct in6_addr *internal,
		     struct netlink_ext_ack *extack)
{
	struct map646_entry66 *e;
	int err;

	err = map646_set66_check(s, global, internal, extack);
	if (err)
		return err;
	e = kzalloc_obj(*e, GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	if (map646_ctr_get(&e->ctr)) {
		kfree(e);
		return -ENOMEM;
	}
	e->global = *global;
	e->internal = *internal;
	err = rhashtable_insert_fast(&s->by_global, &e->node_g, global_params);
	if (err) {
		entry66_free(e);
		return err;
	}
	err = rhashtable_insert_fast(&s->by_internal, &e->node_i,
				     internal_params);
	if (err) {
		rhashtable_remove_fast(&s->by_global, &e->node_g, global_params);
		call_rcu(&e->rcu, entry66_free_rcu);
		return err;
	}
	list_add_tail(&e->list, &s->entries);
	s->count++;
	return 0;
}

/**
 * map646_set66_del() - remove a mapping; writer lock held
 * @s: set
 * @e: entry of @s, freed after a grace period
 */
void map646_set66_del(struct map646_set66 *s, struct map646_entry66 *e)
{
	rhashtable_remove_fast(&s->by_global, &e->node_g, global_params);
	rhashtable_remove_fast(&s->by_internal, &e->node_i, internal_params);
	list_del(&e->list);
	s->count--;
	call_rcu(&e->rcu, entry66_free_rcu);
}

/**
 * map646_set66_adopt_stats() - carry counters over a table replace
 * @s: the new set, not yet visible to readers
 * @old: the set it replaces, or NULL; writer lock held
 */
void map646_set66_adopt_stats(struct map646_set66 *s,
			      struct map646_set66 *old)
{
	struct map646_entry66 *e, *o;

	list_for_each_entry(e, &s->entries, list) {
		o = old ? map646_set66_find_global(old, &e->global) : NULL;
		if (!o || o->stats_given ||
		    !ipv6_addr_equal(&o->internal, &e->internal))
			continue;
		map646_ctr_put(e->ctr);
		e->ctr = o->ctr;
		o->stats_given = true;
	}
}

/**
 * map646_set66_prepare_reset() - make map646_set66_reset_stats() unable to
 * fail
 * @s: set, or NULL. May sleep.
 *
 * Return: 0 or -ENOMEM.
 */
int map646_set66_prepare_reset(struct map646_set66 *s)
{
	struct map646_entry66 *e;
	int err;

	if (!s)
		return 0;
	list_for_each_entry(e, &s->entries, list) {
		err = map646_ctr_prepare_reset(e->ctr);
		if (err)
			return err;
	}
	return 0;
}

/**
 * map646_set66_reset_stats() - zero the counters of every entry
 * @s: set prepared with map646_set66_prepare_reset(), or NULL
 */
void map646_set66_reset_stats(struct map646_set66 *s)
{
	struct map646_entry66 *e;

	if (!s)
		return;
	list_for_each_entry(e, &s->entries, list)
		map646_ctr_reset(e->ctr);
}
