/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_NL_MAPS_H
#define _MAP646_NL_MAPS_H

#include <net/netlink.h>
#include <linux/map646.h>
#include "table.h"

/* Kinds of mapping a request may name. */
#define MAP646_NL_46	1	/* IPv4 <-> IPv6, one address or a block */
#define MAP646_NL_66	2	/* map66 */

extern const struct nla_policy map646_nl_entry_policy[MAP646_A_MAX + 1];

int map646_nl_spec(struct nlattr *const *tb, unsigned int kinds,
		   const struct nlattr *where, struct map646_spec *s,
		   struct netlink_ext_ack *extack);
int map646_nl_add_batch(struct map646_table *t, const struct nlattr *maps,
			unsigned int kinds, bool live,
			struct netlink_ext_ack *extack);
int map646_nl_del(struct map646_table *t, struct nlattr *const *tb,
		  unsigned int kinds, const struct nlattr *where,
		  struct map646_spec *gone, struct netlink_ext_ack *extack);
int map646_nl_del_batch(struct map646_table *t, const struct nlattr *maps,
			unsigned int kinds, struct netlink_ext_ack *extack);
int map646_nl_put_entry(struct sk_buff *skb, const struct map646_entry *e);
int map646_nl_put_pfx(struct sk_buff *skb, const struct map646_pfx *p);
int map646_nl_put_entry66(struct sk_buff *skb,
			  const struct map646_entry66 *e);

#endif /* _MAP646_NL_MAPS_H */
