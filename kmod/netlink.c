// SPDX-License-Identifier: GPL-2.0
/*
 * The map646 generic netlink family: the protocol is documented in
 * uapi/linux/map646.h. Handlers run in process context and may sleep;
 * changes to a device are serialised by its mutex, readers of the data path
 * are never blocked.
 */
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "nl_maps.h"
#include "table.h"

static struct genl_family map646_family;

/* In every policy: an ifindex of 0 names no device. */
static const struct nla_policy dev_policy[MAP646_A_MAX + 1] = {
	[MAP646_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MAP646_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static const struct nla_policy map_policy[MAP646_A_MAX + 1] = {
	[MAP646_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MAP646_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[MAP646_A_MAP_IPV4] = NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[MAP646_A_MAP_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MAP646_A_MAP_IPV4_LEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[MAP646_A_MAP_IPV6_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[MAP646_A_MAPS] = NLA_POLICY_NESTED_ARRAY(map646_nl_entry_policy),
};

static const struct nla_policy map66_policy[MAP646_A_MAX + 1] = {
	[MAP646_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MAP646_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[MAP646_A_MAP66_GLOBAL] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MAP646_A_MAP66_INTERNAL] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MAP646_A_MAPS] = NLA_POLICY_NESTED_ARRAY(map646_nl_entry_policy),
};

/* The settings, as MAP646_CMD_CONFIG_SET and MAP646_CMD_REPLACE_BEGIN take them. */
#define SETTINGS_POLICY							\
	[MAP646_A_PREFIX] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)), \
	[MAP646_A_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),		\
	[MAP646_A_LOWEST_MTU] = NLA_POLICY_MIN(NLA_U16, IPV6_MIN_MTU),	\
	[MAP646_A_UDP_ZERO_CSUM] = NLA_POLICY_MAX(NLA_U8, 1),		\
	[MAP646_A_TOS_COPY] = NLA_POLICY_MAX(NLA_U8, 1),		\
	[MAP646_A_ICMP_REPLY] = NLA_POLICY_MAX(NLA_U8, 1),		\
	[MAP646_A_FAST_PATH] = {					\
		.type = NLA_REJECT,					\
		.reject_message = "MAP646_A_FAST_PATH is retired: use MAP646_A_PATH", \
	},							\
	[MAP646_A_PATH] = NLA_POLICY_MAX(NLA_U8, MAP646_PATH_MAX),	\
	[MAP646_A_POOL4] = NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)), \
	[MAP646_A_POOL4_LEN] = NLA_POLICY_MAX(NLA_U8, 32),		\
	[MAP646_A_POOL6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)), \
	[MAP646_A_POOL6_LEN] = NLA_POLICY_MAX(NLA_U8, 128)

static const struct nla_policy map_get_policy[MAP646_A_MAX + 1] = {
	[MAP646_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MAP646_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[MAP646_A_MAP_IPV4] = NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[MAP646_A_MAP_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

static const struct nla_policy map66_get_policy[MAP646_A_MAX + 1] = {
	[MAP646_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MAP646_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[MAP646_A_MAP66_GLOBAL] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MAP646_A_MAP66_INTERNAL] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

static const struct nla_policy begin_policy[MAP646_A_MAX + 1] = {
	[MAP646_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MAP646_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[MAP646_A_MAP_COUNT] = { .type = NLA_U32 },
	[MAP646_A_REPLACE_CONFIG] = { .type = NLA_FLAG },
	SETTINGS_POLICY,
};

static const struct nla_policy replace_add_policy[MAP646_A_MAX + 1] = {
	[MAP646_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MAP646_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[MAP646_A_MAPS] = NLA_POLICY_NESTED_ARRAY(map646_nl_entry_policy),
};

static const struct nla_policy config_policy[MAP646_A_MAX + 1] = {
	[MAP646_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MAP646_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	SETTINGS_POLICY,
};

/* Refuse a request that lacks @attr, naming it in the message. */
#define MISSING(info, attr) ({						\
	struct genl_info *__mi = (info);				\
	bool __missing = GENL_REQ_ATTR_CHECK(__mi, attr);		\
	if (__missing)							\
		NL_SET_ERR_MSG_MOD(__mi->extack, "missing " #attr);	\
	__missing;							\
})

/* The device a request names, referenced; release with dev_put(). */
static struct net_device *dev_from_attrs(struct net *net, struct nlattr **attrs,
					 struct netlink_ext_ack *extack)
{
	struct nlattr *index = attrs[MAP646_A_IFINDEX];
	struct nlattr *name = attrs[MAP646_A_IFNAME];
	struct net_device *dev;

	if (!index && !name) {
		NL_SET_ERR_MSG_MOD(extack,
				   "missing MAP646_A_IFINDEX or MAP646_A_IFNAME");
		return ERR_PTR(-EINVAL);
	}
	dev = map646_dev_get(net, index ? nla_get_u32(index) : 0,
			     name ? nla_data(name) : NULL);
	if (dev == ERR_PTR(-ENODEV)) {
		NL_SET_ERR_MSG_ATTR(extack, index ?: name,
				    "no device of that name or index in this network namespace");
		return dev;
	}
	if (IS_ERR(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, index ?: name,
				    "not a map646 device");
		return dev;
	}
	if (index && name && strcmp(dev->name, nla_data(name))) {
		dev_put(dev);
		NL_SET_ERR_MSG_ATTR(extack, name,
				    "MAP646_A_IFINDEX and MAP646_A_IFNAME name different devices");
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

static struct map646_table *table_locked(struct map646_dev *m)
{
	return rcu_dereference_protected(m->table, lockdep_is_held(&m->lock));
}

static struct map646_params *params_locked(struct map646_dev *m)
{
	return rcu_dereference_protected(table_locked(m)->params,
					 lockdep_is_held(&m->lock));
}

/*
 * Tell the MAP646_GENL_MCGRP_TABLE group that @dev's table changed through
 * @cmd and is now @t (device lock held); @v4 and @v6: the one mapping
 * added or deleted, or NULL. Best effort: a listener that misses it can
 * dump.
 */
static void notify(struct net_device *dev, u8 cmd, struct map646_table *t,
		   const __be32 *v4, const struct in6_addr *v6)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&map646_family, dev_net(dev), 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &map646_family, 0, cmd);
	if (!hdr ||
	    nla_put_u32(msg, MAP646_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(msg, MAP646_A_IFNAME, dev->name) ||
	    nla_put_u32(msg, MAP646_A_MAP_COUNT, map646_table_count46(t)) ||
	    nla_put_u32(msg, MAP646_A_MAP66_COUNT, map646_table_count66(t)) ||
	    (v4 && (nla_put_in_addr(msg, MAP646_A_MAP_IPV4, *v4) ||
		    nla_put_in6_addr(msg, MAP646_A_MAP_IPV6, v6)))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&map646_family, dev_net(dev), msg, 0, 0,
				GFP_KERNEL);
}

static int config_fill(struct sk_buff *msg, struct net_device *dev);

/*
 * Tell the group that @dev's settings changed: a MAP646_CMD_CONFIG_SET
 * message carrying all of them, as MAP646_CMD_CONFIG_GET answers. Best
 * effort, as notify().
 */
static void notify_config(struct net_device *dev)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&map646_family, dev_net(dev), 0))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &map646_family, 0, MAP646_CMD_CONFIG_SET);
	if (!hdr || config_fill(msg, dev)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&map646_family, dev_net(dev), msg, 0, 0,
				GFP_KERNEL);
}

/* A request carries either MAP646_A_MAPS or the single-mapping attributes. */
static bool batch_or_single(struct genl_info *info)
{
	struct nlattr **a = info->attrs;

	if (a[MAP646_A_MAPS] && (a[MAP646_A_MAP_IPV4] || a[MAP646_A_MAP_IPV6] ||
				 a[MAP646_A_MAP66_GLOBAL] ||
				 a[MAP646_A_MAP66_INTERNAL])) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MAP646_A_MAPS],
				    "give MAP646_A_MAPS or single addresses, not both");
		return false;
	}
	return true;
}

/* What kinds of mapping a command is about. */
static unsigned int cmd_kinds(struct genl_info *info)
{
	u8 cmd = info->genlhdr->cmd;

	return cmd == MAP646_CMD_MAP66_ADD || cmd == MAP646_CMD_MAP66_DEL ?
	       MAP646_NL_66 : MAP646_NL_46;
}

/* MAP646_CMD_MAP_ADD, MAP646_CMD_MAP66_ADD */
static int map_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *maps = info->attrs[MAP646_A_MAPS];
	unsigned int kinds = cmd_kinds(info);
	struct map646_spec s;
	struct net_device *dev;
	struct map646_dev *m;
	bool one;
	int err;

	if (!batch_or_single(info))
		return -EINVAL;
	if (!maps) {
		err = map646_nl_spec(info->attrs, kinds, NULL, &s,
				     info->extack);
		if (err)
			return err;
	}

	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	m = netdev_priv(dev);
	mutex_lock(&m->lock);
	if (maps)
		err = map646_nl_add_batch(table_locked(m), maps, kinds, true,
					  info->extack);
	else
		err = map646_table_insert(table_locked(m), &s, info->extack);
	if (!err) {
		map646_dev_table_changed(m);
		/* with the addresses of one single-address mapping */
		one = !maps && !s.is66 && s.eam.len4 == 32;
		notify(dev, info->genlhdr->cmd, table_locked(m),
		       one ? &s.eam.v4 : NULL, &s.eam.v6);
	}
	mutex_unlock(&m->lock);
	dev_put(dev);
	return err;
}

/* MAP646_CMD_MAP_DEL, MAP646_CMD_MAP66_DEL */
static int map_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *maps = info->attrs[MAP646_A_MAPS];
	unsigned int kinds = cmd_kinds(info);
	struct map646_spec gone;
	struct map646_table *t;
	struct net_device *dev;
	struct map646_dev *m;
	bool one;
	int err;

	if (!batch_or_single(info))
		return -EINVAL;
	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	m = netdev_priv(dev);
	mutex_lock(&m->lock);
	t = table_locked(m);
	if (maps)
		err = map646_nl_del_batch(t, maps, kinds, info->extack);
	else
		err = map646_nl_del(t, info->attrs, kinds, NULL, &gone,
				    info->extack);
	if (!err) {
		map646_dev_table_changed(m);
		one = !maps && !gone.is66 && gone.eam.len4 == 32;
		notify(dev, info->genlhdr->cmd, t, one ? &gone.eam.v4 : NULL,
		       &gone.eam.v6);
	}
	mutex_unlock(&m->lock);
	dev_put(dev);
	return err;
}

static int map_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct map646_table *empty, *old;
	struct map646_params *params;
	struct net_device *dev;
	struct map646_dev *m;

	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	empty = map646_table_alloc(0);
	params = kzalloc_obj(*params, GFP_KERNEL_ACCOUNT);
	if (!empty || !params) {
		map646_table_free(empty);
		kfree(params);
		dev_put(dev);
		return -ENOMEM;
	}
	m = netdev_priv(dev);
	mutex_lock(&m->lock);
	/* the settings stay: the empty table gets a copy */
	params->cfg = params_locked(m)->cfg;
	RCU_INIT_POINTER(empty->params, params);
	old = rcu_replace_pointer(m->table, empty, lockdep_is_held(&m->lock));
	map646_dev_table_changed(m);
	notify(dev, MAP646_CMD_MAP_FLUSH, empty, NULL, NULL);
	mutex_unlock(&m->lock);
	dev_put(dev);

	synchronize_rcu();
	map646_table_free(old);
	return 0;
}

/*
 * The device of a dump, referenced. It is looked up on the dump's first
 * call rather than in a start callback: Linux 6.1 gives start callbacks no
 * extended ack, and a refusal must carry its message (it comes back in the
 * NLMSG_DONE that ends the dump).
 */
static struct net_device *dump_dev(struct netlink_callback *cb)
{
	struct nlattr *attrs[MAP646_A_MAX + 1];
	struct net_device *dev;
	int err;

	if (cb->args[0]) {
		dev = map646_dev_get(sock_net(cb->skb->sk), cb->args[0], NULL);
		if (IS_ERR(dev))
			NL_SET_ERR_MSG_MOD(cb->extack,
					   "the device went away during the dump");
		return dev;
	}
	/*
	 * genetlink parsed the request already, but where it keeps the result
	 * differs between kernels (6.6 moved it); parsing again needs no
	 * version test.
	 */
	err = genlmsg_parse(cb->nlh, &map646_family, attrs, MAP646_A_MAX,
			    dev_policy, cb->extack);
	if (err)
		return ERR_PTR(err);
	dev = dev_from_attrs(sock_net(cb->skb->sk), attrs, cb->extack);
	if (!IS_ERR(dev))
		cb->args[0] = dev->ifindex;
	return dev;
}

/* MAP646_A_MAP_STATS: the counters of a mapping, counter @ctr. */
static int map_stats_put(struct sk_buff *skb, u32 ctr)
{
	struct map646_map_counters c;
	struct nlattr *nest;
	unsigned long last;
	bool used;

	used = map646_ctr_read(ctr, &c, &last);
	nest = nla_nest_start(skb, MAP646_A_MAP_STATS);
	if (!nest ||
	    nla_put_u64_64bit(skb, MAP646_MAP_STAT_PKTS_4TO6,
			      c.pkts[MAP646_DIR_4TO6], MAP646_MAP_STAT_PAD) ||
	    nla_put_u64_64bit(skb, MAP646_MAP_STAT_BYTES_4TO6,
			      c.bytes[MAP646_DIR_4TO6], MAP646_MAP_STAT_PAD) ||
	    nla_put_u64_64bit(skb, MAP646_MAP_STAT_PKTS_6TO4,
			      c.pkts[MAP646_DIR_6TO4], MAP646_MAP_STAT_PAD) ||
	    nla_put_u64_64bit(skb, MAP646_MAP_STAT_BYTES_6TO4,
			      c.bytes[MAP646_DIR_6TO4], MAP646_MAP_STAT_PAD) ||
	    (used && nla_put_u64_64bit(skb, MAP646_MAP_STAT_IDLE_MS,
				       jiffies_to_msecs(jiffies - last),
				       MAP646_MAP_STAT_PAD)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * What a dump walks, one list after the other: the single-address
 * mappings and the blocks (MAP646_CMD_MAP_GET), the map66 mappings
 * (MAP646_CMD_MAP66_GET).
 */
enum { DUMP_ENTRIES, DUMP_BLOCKS, DUMP_MAP66 };

/* The addresses and counters of the mapping of @node, a list link. */
static int map_put(struct sk_buff *skb, int what, struct list_head *node)
{
	const struct map646_entry66 *e66;
	const struct map646_entry *e;
	const struct map646_pfx *p;

	switch (what) {
	case DUMP_ENTRIES:
		e = list_entry(node, struct map646_entry, list);
		return map646_nl_put_entry(skb, e) ?:
		       map_stats_put(skb, map646_entry_ctr(e));
	case DUMP_BLOCKS:
		p = list_entry(node, struct map646_pfx, list);
		return map646_nl_put_pfx(skb, p) ?:
		       map_stats_put(skb, p->ctr);
	default:
		e66 = list_entry(node, struct map646_entry66, list);
		return map646_nl_put_entry66(skb, e66) ?:
		       map_stats_put(skb, e66->ctr);
	}
}

/*
 * The attributes of one MAP646_CMD_MAP_GET or MAP646_CMD_MAP66_GET reply:
 * the mapping of @node, of the kind @what; @node NULL: the device alone.
 */
static int map_fill(struct sk_buff *skb, int ifindex, int what,
		    struct list_head *node)
{
	if (nla_put_u32(skb, MAP646_A_IFINDEX, ifindex) ||
	    (node && map_put(skb, what, node)))
		return -EMSGSIZE;
	return 0;
}

/* The command of a reply about a mapping of the kind @what. */
static u8 map_cmd(int what)
{
	return what == DUMP_MAP66 ? MAP646_CMD_MAP66_GET : MAP646_CMD_MAP_GET;
}

static int map_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			int ifindex, int what, struct list_head *node)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &map646_family, NLM_F_MULTI, map_cmd(what));
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (map_fill(skb, ifindex, what, node)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The list a dump walks for @what, NULL when the table has none. */
static struct list_head *dump_list(struct map646_table *t, int what)
{
	struct map646_set66 *s66 = map646_table_set66(t);
	struct map646_pfx_set *p = map646_table_pfx(t);

	switch (what) {
	case DUMP_ENTRIES:
		return &t->entries;
	case DUMP_BLOCKS:
		return p ? &p->entries : NULL;
	default:
		return s66 ? &s66->entries : NULL;
	}
}

/*
 * The mapping a MAP646_CMD_MAP_GET or MAP646_CMD_MAP66_GET request names
 * by one of its addresses: its kind in @what, its list link, or NULL.
 * An IPv4 or IPv6 address finds the single-address mapping holding it,
 * else the longest block, as the data path does.
 */
static struct list_head *map_find(struct map646_table *t, struct nlattr **a,
				  bool is66, int *what)
{
	struct map646_set66 *s66 = map646_table_set66(t);
	struct map646_entry66 *e66 = NULL;
	struct map646_found f;
	struct in6_addr v6;
	bool found;

	if (is66) {
		*what = DUMP_MAP66;
		v6 = nla_get_in6_addr(a[MAP646_A_MAP66_GLOBAL] ?:
				      a[MAP646_A_MAP66_INTERNAL]);
		if (s66)
			e66 = a[MAP646_A_MAP66_GLOBAL] ?
			      map646_set66_find_global(s66, &v6) :
			      map646_set66_find_internal(s66, &v6);
		return e66 ? &e66->list : NULL;
	}
	/* the data path's lookup; the device lock keeps what it finds */
	rcu_read_lock();
	if (a[MAP646_A_MAP_IPV4]) {
		found = map646_table_match4(t, nla_get_in_addr(a[MAP646_A_MAP_IPV4]),
					    &f);
	} else {
		v6 = nla_get_in6_addr(a[MAP646_A_MAP_IPV6]);
		found = map646_table_match6(t, &v6, &f);
	}
	rcu_read_unlock();
	if (!found)
		return NULL;
	*what = f.e ? DUMP_ENTRIES : DUMP_BLOCKS;
	/* const for the data path; under the device lock, the table's own */
	return f.e ? &f.e->list : (struct list_head *)&f.p->list;
}

/*
 * MAP646_CMD_MAP_GET and MAP646_CMD_MAP66_GET with an address: the one
 * mapping that holds it.
 */
static int map_get(struct sk_buff *skb, struct genl_info *info)
{
	bool is66 = info->genlhdr->cmd == MAP646_CMD_MAP66_GET;
	struct nlattr *a1 = info->attrs[is66 ? MAP646_A_MAP66_GLOBAL :
					      MAP646_A_MAP_IPV4];
	struct nlattr *a2 = info->attrs[is66 ? MAP646_A_MAP66_INTERNAL :
					      MAP646_A_MAP_IPV6];
	struct list_head *node;
	struct net_device *dev;
	struct map646_dev *m;
	struct sk_buff *msg;
	void *hdr = NULL;
	int what, err;

	if (!a1 == !a2) {
		if (is66)
			NL_SET_ERR_MSG_MOD(info->extack,
					   "give exactly one of MAP646_A_MAP66_GLOBAL and MAP646_A_MAP66_INTERNAL (or dump the table)");
		else
			NL_SET_ERR_MSG_MOD(info->extack,
					   "give exactly one of MAP646_A_MAP_IPV4 and MAP646_A_MAP_IPV6 (or dump the table)");
		return -EINVAL;
	}
	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		dev_put(dev);
		return -ENOMEM;
	}
	m = netdev_priv(dev);
	mutex_lock(&m->lock);
	node = map_find(table_locked(m), info->attrs, is66, &what);
	if (node) {
		hdr = genlmsg_put_reply(msg, info, &map646_family, 0,
					map_cmd(what));
		err = hdr ? map_fill(msg, dev->ifindex, what, node) : -EMSGSIZE;
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, a1 ?: a2,
				    "no mapping holds this address");
		err = -ENOENT;
	}
	mutex_unlock(&m->lock);
	dev_put(dev);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Dump state in cb->args: [0] ifindex (0 until the first call found the
 * device), [1] table generation when the dump began, [2] the list link of
 * the next mapping to send (0: the list's first), [3] non-zero once
 * finished, [4] 1 + the list being walked (0: not begun). The link stays
 * valid only while the generation is unchanged.
 */
static int map_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genlmsghdr *g = nlmsg_data(cb->nlh);
	int first = g->cmd == MAP646_CMD_MAP66_GET ? DUMP_MAP66 : DUMP_ENTRIES;
	int last = first == DUMP_MAP66 ? DUMP_MAP66 : DUMP_BLOCKS;
	struct list_head *head, *node;
	struct map646_table *t;
	struct net_device *dev;
	struct map646_dev *m;

	if (cb->args[3])
		return 0;
	dev = dump_dev(cb);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	m = netdev_priv(dev);
	mutex_lock(&m->lock);
	t = table_locked(m);
	if (!cb->args[4]) {
		cb->args[1] = m->gen;
		cb->args[4] = first + 1;
	}
	cb->seq = m->gen;
	if (cb->args[1] != m->gen) {
		/* changed under us: flag it (NLM_F_DUMP_INTR) and stop */
		map_dump_one(skb, cb, dev->ifindex, first, NULL);
		cb->args[3] = 1;
		goto out;
	}
	for (;;) {
		head = dump_list(t, cb->args[4] - 1);
		node = cb->args[2] ? (struct list_head *)cb->args[2] :
				     head ? head->next : NULL;
		for (; head && node != head; node = node->next)
			if (map_dump_one(skb, cb, dev->ifindex,
					 cb->args[4] - 1, node)) {
				cb->args[2] = (unsigned long)node;
				goto out;
			}
		cb->args[2] = 0;
		if (cb->args[4] - 1 == last) {
			cb->args[3] = 1;
			break;
		}
		cb->args[4]++;
	}
out:
	mutex_unlock(&m->lock);
	dev_put(dev);
	return skb->len;
}

/* Check the prefix of a CONFIG_SET request; 0 or -EINVAL with extack. */
static int prefix_check(struct genl_info *info, struct map646_prefix *prefix)
{
	struct nlattr *ap = info->attrs[MAP646_A_PREFIX];
	struct nlattr *al = info->attrs[MAP646_A_PREFIX_LEN];

	prefix->addr = nla_get_in6_addr(ap);
	prefix->len = nla_get_u8(al);
	if (!prefix->len && ipv6_addr_any(&prefix->addr))
		return 0;	/* no prefix */
	switch (map646_prefix_check(&prefix->addr, prefix->len)) {
	case MAP646_PREFIX_OK:
		return 0;
	case MAP646_PREFIX_BAD_LEN:
		NL_SET_ERR_MSG_ATTR(info->extack, al,
				    "MAP646_A_PREFIX_LEN must be 32, 40, 48, 56, 64 or 96");
		break;
	case MAP646_PREFIX_HOST_BITS:
		NL_SET_ERR_MSG_ATTR(info->extack, ap,
				    "MAP646_A_PREFIX has bits set past its length");
		break;
	case MAP646_PREFIX_U_OCTET:
		NL_SET_ERR_MSG_ATTR(info->extack, ap,
				    "MAP646_A_PREFIX bits 64-71 must be zero (RFC 6052)");
		break;
	}
	return -EINVAL;
}

/* Check the RFC 6791 pool of a CONFIG_SET request. */
static int pool_check(struct genl_info *info, struct map646_cfg *cfg)
{
	struct nlattr *aa = info->attrs[MAP646_A_POOL4];
	u8 len = nla_get_u8(info->attrs[MAP646_A_POOL4_LEN]);
	__be32 addr = nla_get_in_addr(aa);

	if ((len && addr & ~inet_make_mask(len)) || (!len && addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, aa,
				    "MAP646_A_POOL4 has bits set past MAP646_A_POOL4_LEN");
		return -EINVAL;
	}
	cfg->pool4 = addr;
	cfg->pool4_len = len;
	return 0;
}

/* Check the RFC 6791 IPv6 pool of a CONFIG_SET request. */
static int pool6_check(struct genl_info *info, struct map646_cfg *cfg)
{
	struct nlattr *aa = info->attrs[MAP646_A_POOL6];
	u8 len = nla_get_u8(info->attrs[MAP646_A_POOL6_LEN]);
	struct in6_addr addr = nla_get_in6_addr(aa), cut;

	map646_prefix6_mask(&addr, len, &cut);
	if (!ipv6_addr_equal(&addr, &cut)) {
		NL_SET_ERR_MSG_ATTR(info->extack, aa,
				    "MAP646_A_POOL6 has bits set past MAP646_A_POOL6_LEN");
		return -EINVAL;
	}
	cfg->pool6 = addr;
	cfg->pool6_len = len;
	return 0;
}

/* Both or neither of two attributes. */
static int pair(struct genl_info *info, int a, int b)
{
	if (!info->attrs[a] == !info->attrs[b])
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[a] ?: info->attrs[b],
			    "MAP646_A_PREFIX/_LEN, MAP646_A_POOL4/_LEN and MAP646_A_POOL6/_LEN come in pairs");
	return -EINVAL;
}

/*
 * Check the settings a request carries; the prefix and the pool land in
 * @given, for settings_apply(). 0 or -EINVAL with extack.
 */
static int settings_check(struct genl_info *info, struct map646_cfg *given)
{
	struct nlattr **a = info->attrs;
	int err;

	err = pair(info, MAP646_A_PREFIX, MAP646_A_PREFIX_LEN) ?:
	      pair(info, MAP646_A_POOL4, MAP646_A_POOL4_LEN) ?:
	      pair(info, MAP646_A_POOL6, MAP646_A_POOL6_LEN);
	if (!err && a[MAP646_A_PREFIX])
		err = prefix_check(info, &given->prefix);
	if (!err && a[MAP646_A_POOL4])
		err = pool_check(info, given);
	if (!err && a[MAP646_A_POOL6])
		err = pool6_check(info, given);
	return err;
}

/* Change @cfg as the settings of @a say (checked into @given). */
static void settings_apply(struct nlattr **a, const struct map646_cfg *given,
			   struct map646_cfg *cfg)
{
	if (a[MAP646_A_PREFIX])
		cfg->prefix = given->prefix;
	if (a[MAP646_A_POOL4]) {
		cfg->pool4 = given->pool4;
		cfg->pool4_len = given->pool4_len;
	}
	if (a[MAP646_A_POOL6]) {
		cfg->pool6 = given->pool6;
		cfg->pool6_len = given->pool6_len;
	}
	if (a[MAP646_A_LOWEST_MTU])
		cfg->lowest_ipv6_mtu = nla_get_u16(a[MAP646_A_LOWEST_MTU]);
	if (a[MAP646_A_UDP_ZERO_CSUM])
		cfg->udp_zero_csum = nla_get_u8(a[MAP646_A_UDP_ZERO_CSUM]);
	if (a[MAP646_A_TOS_COPY])
		cfg->tos_copy = nla_get_u8(a[MAP646_A_TOS_COPY]);
	if (a[MAP646_A_ICMP_REPLY])
		cfg->icmp_reply = nla_get_u8(a[MAP646_A_ICMP_REPLY]);
	if (a[MAP646_A_PATH])
		cfg->path = nla_get_u8(a[MAP646_A_PATH]);
}

static int config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct map646_params *params, *old;
	struct map646_cfg given;
	struct map646_table *t;
	struct net_device *dev;
	struct map646_dev *m;
	int err;

	err = settings_check(info, &given);
	if (err)
		return err;

	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	params = kzalloc_obj(*params, GFP_KERNEL_ACCOUNT);
	if (!params) {
		dev_put(dev);
		return -ENOMEM;
	}
	m = netdev_priv(dev);
	/* the path decides which hooks run, and they change under RTNL */
	if (info->attrs[MAP646_A_PATH])
		rtnl_lock();
	mutex_lock(&m->lock);
	t = table_locked(m);
	old = params_locked(m);
	params->cfg = old->cfg;
	settings_apply(info->attrs, &given, &params->cfg);
	if (info->attrs[MAP646_A_PATH])
		err = map646_dev_set_path(dev, params->cfg.path);
	if (!err)
		rcu_assign_pointer(t->params, params);
	mutex_unlock(&m->lock);
	if (info->attrs[MAP646_A_PATH])
		rtnl_unlock();
	if (!err)
		notify_config(dev);
	dev_put(dev);
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MAP646_A_PATH],
				    "the PRE_ROUTING hooks could not be registered");
		kfree(params);
		return err;
	}
	kfree_rcu(old, rcu);
	return 0;
}

static int config_fill(struct sk_buff *msg, struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);
	const struct map646_cfg *c;
	int err;

	mutex_lock(&m->lock);
	c = &params_locked(m)->cfg;
	err = nla_put_u32(msg, MAP646_A_IFINDEX, dev->ifindex) ||
	      nla_put_string(msg, MAP646_A_IFNAME, dev->name) ||
	      nla_put_u32(msg, MAP646_A_MAP_COUNT,
			  map646_table_count46(table_locked(m))) ||
	      nla_put_u32(msg, MAP646_A_MAP66_COUNT,
			  map646_table_count66(table_locked(m))) ||
	      nla_put_u16(msg, MAP646_A_LOWEST_MTU, c->lowest_ipv6_mtu) ||
	      nla_put_u8(msg, MAP646_A_UDP_ZERO_CSUM, c->udp_zero_csum) ||
	      nla_put_u8(msg, MAP646_A_TOS_COPY, c->tos_copy) ||
	      nla_put_u8(msg, MAP646_A_ICMP_REPLY, c->icmp_reply) ||
	      nla_put_u8(msg, MAP646_A_PATH, c->path) ||
	      (c->prefix.len &&
	       (nla_put_in6_addr(msg, MAP646_A_PREFIX, &c->prefix.addr) ||
		nla_put_u8(msg, MAP646_A_PREFIX_LEN, c->prefix.len))) ||
	      (c->pool4_len &&
	       (nla_put_in_addr(msg, MAP646_A_POOL4, c->pool4) ||
		nla_put_u8(msg, MAP646_A_POOL4_LEN, c->pool4_len))) ||
	      (c->pool6_len &&
	       (nla_put_in6_addr(msg, MAP646_A_POOL6, &c->pool6) ||
		nla_put_u8(msg, MAP646_A_POOL6_LEN, c->pool6_len)));
	mutex_unlock(&m->lock);
	return err ? -EMSGSIZE : 0;
}

/* The names of the counters, as MAP646_A_STATS_NAMES carries them. */
static const char * const stat_keys[] = {
	[MAP646_STAT_XLAT_4TO6] = "xlat_4to6",
	[MAP646_STAT_XLAT_6TO4] = "xlat_6to4",
	[MAP646_STAT_DROP_NO_PREFIX] = "drop_no_prefix",
	[MAP646_STAT_DROP_NO_MAPPING_V4] = "drop_no_mapping_v4",
	[MAP646_STAT_DROP_NO_MAPPING_V6] = "drop_no_mapping_v6",
	[MAP646_STAT_DROP_NOT_IN_PREFIX] = "drop_not_in_prefix",
	[MAP646_STAT_DROP_MALFORMED] = "drop_malformed",
	[MAP646_STAT_DROP_FRAGMENT] = "drop_fragment",
	[MAP646_STAT_DROP_EXTHDR] = "drop_exthdr",
	[MAP646_STAT_DROP_ICMP] = "drop_icmp",
	[MAP646_STAT_DROP_UDP_ZERO_CSUM] = "drop_udp_zero_csum",
	[MAP646_STAT_DROP_PROTOCOL] = "drop_protocol",
	[MAP646_STAT_DROP_NOMEM] = "drop_nomem",
	[MAP646_STAT_DROP_RX] = "drop_rx",
	[MAP646_STAT_DROP_SPOOFED] = "drop_spoofed",
	[MAP646_STAT_DROP_NONGLOBAL] = "drop_nonglobal",
	[MAP646_STAT_DROP_SRC_ROUTE] = "drop_src_route",
	[MAP646_STAT_DROP_ROUTING] = "drop_routing",
	[MAP646_STAT_DROP_TOO_BIG] = "drop_too_big",
	[MAP646_STAT_FRAGMENTS] = "fragments",
	[MAP646_STAT_DROP_UNFORWARDABLE] = "drop_unforwardable",
	[MAP646_STAT_XLAT_66] = "xlat_66",
};

/**
 * map646_stat_key() - the name of a device counter
 * @stat: enum map646_stat
 *
 * Return: its name in `map646ctl stats`, `ethtool -S` and the debug log
 * of a drop; NULL for MAP646_STAT_UNSPEC and MAP646_STAT_PAD.
 */
const char *map646_stat_key(unsigned int stat)
{
	return stat < ARRAY_SIZE(stat_keys) ? stat_keys[stat] : NULL;
}

static int stats_fill(struct sk_buff *msg, struct net_device *dev)
{
	struct map646_dev *m = netdev_priv(dev);
	u64 sum[__MAP646_STAT_LAST];
	struct nlattr *nest;
	int i;

	mutex_lock(&m->lock);
	map646_dev_stats_read(m, sum);
	for (i = 0; i < __MAP646_STAT_LAST; i++)
		sum[i] -= m->stats_base[i];
	mutex_unlock(&m->lock);
	if (nla_put_u32(msg, MAP646_A_IFINDEX, dev->ifindex))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, MAP646_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = MAP646_STAT_PAD + 1; i < __MAP646_STAT_LAST; i++)
		if (nla_put_u64_64bit(msg, i, sum[i], MAP646_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);

	/* a new counter needs a name: the table ends at the last one named */
	BUILD_BUG_ON(ARRAY_SIZE(stat_keys) != __MAP646_STAT_LAST);
	nest = nla_nest_start(msg, MAP646_A_STATS_NAMES);
	if (!nest)
		return -EMSGSIZE;
	for (i = MAP646_STAT_PAD + 1; i < __MAP646_STAT_LAST; i++)
		if (nla_put_string(msg, i, stat_keys[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Answer a read request with one message built by @fill. */
static int reply(struct genl_info *info,
		 int (*fill)(struct sk_buff *msg, struct net_device *dev))
{
	struct net_device *dev;
	struct sk_buff *msg;
	void *hdr;
	int err;

	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &map646_family, 0, info->genlhdr->cmd);
	err = hdr ? fill(msg, dev) : -EMSGSIZE;
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	dev_put(dev);
	return err;
}

static int config_get(struct sk_buff *skb, struct genl_info *info)
{
	return reply(info, config_fill);
}

static int stats_get(struct sk_buff *skb, struct genl_info *info)
{
	return reply(info, stats_fill);
}

static int stats_reset(struct sk_buff *skb, struct genl_info *info)
{
	u64 sum[__MAP646_STAT_LAST];
	struct net_device *dev;
	struct map646_dev *m;
	int err;

	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	m = netdev_priv(dev);
	mutex_lock(&m->lock);
	err = map646_table_reset_stats(table_locked(m));
	if (!err) {
		map646_dev_stats_read(m, sum);
		memcpy(m->stats_base, sum, sizeof(sum));
	}
	mutex_unlock(&m->lock);
	dev_put(dev);
	return err;
}

/**
 * struct stage - a table being built for a replace (MAP646_CMD_REPLACE_*)
 * @list: link in &stages
 * @net: namespace of the socket that owns it
 * @portid: that socket's port id
 * @ifindex: the device it will replace the table of
 * @table: the table, unreachable from the data path; its settings are
 *	   NULL until the commit when the replace keeps the device's
 */
struct stage {
	struct list_head list;
	struct net *net;
	u32 portid;
	int ifindex;
	struct map646_table *table;
};

static LIST_HEAD(stages);
static DEFINE_MUTEX(stages_lock);	/* the list and every staged table */

static struct stage *stage_find(struct net *net, u32 portid)
{
	struct stage *st;

	lockdep_assert_held(&stages_lock);
	list_for_each_entry(st, &stages, list)
		if (st->net == net && st->portid == portid)
			return st;
	return NULL;
}

/* Free a stage taken off the list. May sleep. */
static void stage_free(struct stage *st)
{
	if (st) {
		map646_table_free(st->table);
		kfree(st);
	}
}

/* Take the stage of the requesting socket for the device off the list. */
static struct stage *stage_take(struct genl_info *info, int ifindex)
{
	struct stage *st;

	mutex_lock(&stages_lock);
	st = stage_find(genl_info_net(info), info->snd_portid);
	if (st && st->ifindex == ifindex)
		list_del(&st->list);
	else
		st = NULL;
	mutex_unlock(&stages_lock);
	if (!st)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "no table replace begun by this socket for this device");
	return st;
}

/* Settings in a REPLACE_BEGIN without MAP646_A_REPLACE_CONFIG: refused. */
static int settings_without_flag(struct genl_info *info)
{
	static const int settings[] = {
		MAP646_A_PREFIX, MAP646_A_PREFIX_LEN, MAP646_A_LOWEST_MTU,
		MAP646_A_UDP_ZERO_CSUM, MAP646_A_TOS_COPY, MAP646_A_ICMP_REPLY,
		MAP646_A_PATH, MAP646_A_POOL4, MAP646_A_POOL4_LEN,
		MAP646_A_POOL6, MAP646_A_POOL6_LEN,
	};
	int i;

	if (info->attrs[MAP646_A_REPLACE_CONFIG])
		return 0;
	for (i = 0; i < ARRAY_SIZE(settings); i++)
		if (info->attrs[settings[i]]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[settings[i]],
					    "settings in MAP646_CMD_REPLACE_BEGIN need MAP646_A_REPLACE_CONFIG");
			return -EINVAL;
		}
	return 0;
}

/*
 * The settings a REPLACE_BEGIN with MAP646_A_REPLACE_CONFIG stages: those
 * it names, the defaults for the others. NULL when out of memory.
 */
static struct map646_params *staged_params(struct genl_info *info,
					   const struct map646_cfg *given)
{
	struct map646_params *params;

	params = kzalloc_obj(*params, GFP_KERNEL_ACCOUNT);
	if (params) {
		map646_cfg_default(&params->cfg);
		settings_apply(info->attrs, given, &params->cfg);
	}
	return params;
}

static int replace_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *hint = info->attrs[MAP646_A_MAP_COUNT];
	struct map646_params *params = NULL;
	struct stage *st, *old = NULL;
	struct map646_cfg given;
	struct net_device *dev;
	int err;

	err = settings_without_flag(info) ?: settings_check(info, &given);
	if (err)
		return err;
	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	st = kzalloc_obj(*st, GFP_KERNEL_ACCOUNT);
	if (st)
		st->table = map646_table_alloc(hint ? nla_get_u32(hint) : 0);
	if (info->attrs[MAP646_A_REPLACE_CONFIG])
		params = staged_params(info, &given);
	if (!st || !st->table ||
	    (info->attrs[MAP646_A_REPLACE_CONFIG] && !params)) {
		if (st)
			map646_table_free(st->table);
		kfree(st);
		kfree(params);
		dev_put(dev);
		return -ENOMEM;
	}
	RCU_INIT_POINTER(st->table->params, params);
	st->net = genl_info_net(info);
	st->portid = info->snd_portid;
	st->ifindex = dev->ifindex;
	dev_put(dev);

	mutex_lock(&stages_lock);
	old = stage_find(st->net, st->portid);
	if (old)
		list_del(&old->list);
	list_add(&st->list, &stages);
	mutex_unlock(&stages_lock);
	stage_free(old);
	return 0;
}

static int replace_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct stage *st;
	int err;

	if (MISSING(info, MAP646_A_MAPS))
		return -EINVAL;
	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	mutex_lock(&stages_lock);
	st = stage_find(genl_info_net(info), info->snd_portid);
	if (!st || st->ifindex != dev->ifindex) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "no table replace begun by this socket for this device");
		err = -ENOENT;
	} else {
		err = map646_nl_add_batch(st->table, info->attrs[MAP646_A_MAPS],
					  MAP646_NL_46 | MAP646_NL_66, false,
					  info->extack);
	}
	mutex_unlock(&stages_lock);
	dev_put(dev);
	return err;
}

static int replace_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct map646_params *params, *staged;
	struct map646_table *old;
	struct net_device *dev;
	struct map646_dev *m;
	struct stage *st;
	int err = 0;

	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	/* before the stage is taken: a refusal keeps it for a retry */
	params = kzalloc_obj(*params, GFP_KERNEL_ACCOUNT);
	if (!params) {
		dev_put(dev);
		return -ENOMEM;
	}
	st = stage_take(info, dev->ifindex);
	if (!st) {
		kfree(params);
		dev_put(dev);
		return -ENOENT;
	}
	m = netdev_priv(dev);
	/* a staged path may change which hooks run: RTNL before the lock */
	rtnl_lock();
	mutex_lock(&m->lock);
	old = table_locked(m);
	/* table and settings go in together: readers find one through the other */
	staged = rcu_dereference_protected(st->table->params, true);
	if (!staged) {
		params->cfg = params_locked(m)->cfg;
		RCU_INIT_POINTER(st->table->params, params);
		params = NULL;
	} else if (staged->cfg.path != params_locked(m)->cfg.path) {
		err = map646_dev_set_path(dev, staged->cfg.path);
		if (err) {
			mutex_unlock(&m->lock);
			rtnl_unlock();
			NL_SET_ERR_MSG_MOD(info->extack,
					   "the PRE_ROUTING hooks could not be registered");
			goto out;
		}
	}
	map646_table_adopt_stats(st->table, old);
	rcu_assign_pointer(m->table, st->table);
	map646_dev_table_changed(m);
	notify(dev, MAP646_CMD_REPLACE_COMMIT, st->table, NULL, NULL);
	mutex_unlock(&m->lock);
	rtnl_unlock();
	if (staged)
		notify_config(dev);

	st->table = old;
	synchronize_rcu();
out:
	dev_put(dev);
	stage_free(st);
	kfree(params);
	return err;
}

static int replace_abort(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct stage *st;

	dev = dev_from_attrs(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	st = stage_take(info, dev->ifindex);
	dev_put(dev);
	if (!st)
		return -ENOENT;
	stage_free(st);
	return 0;
}

/* A closed socket's staged table goes with it. */
static int stage_release(struct notifier_block *nb, unsigned long event,
			 void *ptr)
{
	struct netlink_notify *n = ptr;
	struct stage *st;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	mutex_lock(&stages_lock);
	st = stage_find(n->net, n->portid);
	if (st)
		list_del(&st->list);
	mutex_unlock(&stages_lock);
	stage_free(st);
	return NOTIFY_DONE;
}

static struct notifier_block stage_notifier = {
	.notifier_call = stage_release,
};

static const struct genl_ops map646_ops[] = {
	{
		.cmd = MAP646_CMD_MAP_ADD,
		.doit = map_add,
		.policy = map_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_MAP_DEL,
		.doit = map_del,
		.policy = map_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_MAP_GET,
		.doit = map_get,
		.dumpit = map_dump,
		.policy = map_get_policy,
		.maxattr = MAP646_A_MAX,
	}, {
		.cmd = MAP646_CMD_MAP_FLUSH,
		.doit = map_flush,
		.policy = dev_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_CONFIG_SET,
		.doit = config_set,
		.policy = config_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_CONFIG_GET,
		.doit = config_get,
		.policy = dev_policy,
		.maxattr = MAP646_A_MAX,
	}, {
		.cmd = MAP646_CMD_STATS_GET,
		.doit = stats_get,
		.policy = dev_policy,
		.maxattr = MAP646_A_MAX,
	}, {
		.cmd = MAP646_CMD_STATS_RESET,
		.doit = stats_reset,
		.policy = dev_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_REPLACE_BEGIN,
		.doit = replace_begin,
		.policy = begin_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_REPLACE_ADD,
		.doit = replace_add,
		.policy = replace_add_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_REPLACE_COMMIT,
		.doit = replace_commit,
		.policy = dev_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_REPLACE_ABORT,
		.doit = replace_abort,
		.policy = dev_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_MAP66_ADD,
		.doit = map_add,
		.policy = map66_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_MAP66_DEL,
		.doit = map_del,
		.policy = map66_policy,
		.maxattr = MAP646_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = MAP646_CMD_MAP66_GET,
		.doit = map_get,
		.dumpit = map_dump,
		.policy = map66_get_policy,
		.maxattr = MAP646_A_MAX,
	},
};

static const struct genl_multicast_group map646_mcgrps[] = {
	{ .name = MAP646_GENL_MCGRP_TABLE },
};

static struct genl_family map646_family __ro_after_init = {
	.name = MAP646_GENL_NAME,
	.version = MAP646_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = map646_ops,
	.n_ops = ARRAY_SIZE(map646_ops),
	.mcgrps = map646_mcgrps,
	.n_mcgrps = ARRAY_SIZE(map646_mcgrps),
};

/**
 * map646_genl_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int map646_genl_init(void)
{
	int err;

	err = netlink_register_notifier(&stage_notifier);
	if (err)
		return err;
	err = genl_register_family(&map646_family);
	if (err)
		netlink_unregister_notifier(&stage_notifier);
	return err;
}

/**
 * map646_genl_uninit() - unregister the family; waits for running handlers,
 * frees the tables still staged and the entries still waiting for RCU
 */
void map646_genl_uninit(void)
{
	struct stage *st, *tmp;

	genl_unregister_family(&map646_family);
	netlink_unregister_notifier(&stage_notifier);
	list_for_each_entry_safe(st, tmp, &stages, list) {
		list_del(&st->list);
		stage_free(st);
	}
	rcu_barrier();
}
