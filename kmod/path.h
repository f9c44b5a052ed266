/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_PATH_H
#define _MAP646_PATH_H

#include <linux/skbuff.h>
#include "xlat.h"

struct map646_found;
struct map646_route6;
struct map646_table;

/**
 * struct map646_skb_cb - what the translation tells the transmit path
 * @ignore_df: IPv6 packet from IPv4 without DF: the IPv6 stack may
 *	       fragment it further
 * @route6: the route cache of the mapping whose server the IPv6 packet
 *	    goes to (4to6), for the output lookup; NULL otherwise
 */
struct map646_skb_cb {
	bool ignore_df;
	struct map646_route6 *route6;
};

#define MAP646_SKB_CB(skb) ((struct map646_skb_cb *)(skb)->cb)

int map646_path_4to6(struct net_device *dev, const struct map646_cfg *cfg,
		     struct map646_table *t, const struct map646_found *dst,
		     struct sk_buff *skb, struct sk_buff_head *out);
int map646_path_6to4(struct net_device *dev, const struct map646_cfg *cfg,
		     struct map646_table *t, const __be32 *dst4,
		     struct sk_buff *skb, struct sk_buff_head *out);
void map646_path_reply6(struct sk_buff *skb, const struct map646_cfg *cfg,
			bool hooked, u8 type, u8 code, u32 info);
int map646_path_6(struct net_device *dev, const struct map646_cfg *cfg,
		  struct map646_table *t, struct sk_buff *skb,
		  struct sk_buff_head *out);

#endif /* _MAP646_PATH_H */
