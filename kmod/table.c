// SPDX-License-Identifier: GPL-2.0
/*
 * The mapping table: two resizable hash tables over the same entries, so a
 * lookup costs the same in either direction and at any table size.
 */
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/map646.h>
#include "table.h"

static const struct rhashtable_params by4_params = {
	.head_offset = offsetof(struct map646_entry, node4),
	.key_offset = offsetof(struct map646_entry, v4),
	.key_len = sizeof(__be32),
	.automatic_shrinking = true,
};

static const struct rhashtable_params by6_params = {
	.head_offset = offsetof(struct map646_entry, node6),
	.key_offset = offsetof(struct map646_entry, v6),
	.key_len = sizeof(struct in6_addr),
	.automatic_shrinking = true,
};

/**
 * map646_table_alloc() - allocate an empty table. May sleep.
 *
 * Return: the table, or NULL when out of memory.
 */
struct map646_table *map646_table_alloc(void)
{
	struct map646_table *t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);

	if (!t)
		return NULL;
	if (rhashtable_init(&t->by4, &by4_params))
		goto err_free;
	if (rhashtable_init(&t->by6, &by6_params))
		goto err_by4;
	INIT_LIST_HEAD(&t->entries);
	return t;

err_by4:
	rhashtable_destroy(&t->by4);
err_free:
	kfree(t);
	return NULL;
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
	list_for_each_entry_safe(e, tmp, &t->entries, list)
		kfree(e);
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
	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
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
		kfree_rcu(e, rcu);
		return err;
	}
	list_add_tail(&e->list, &t->entries);
	t->count++;
	return 0;

err_free:
	kfree(e);
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
	kfree_rcu(e, rcu);
}
